import type { EventBus } from '../live/event-bus.ts';
import type { LiveStream } from '../live/live-stream.ts';
import type { Metrics } from './registry.ts';

/** Arrival times kept per performance until their broadcast (a bound, in case events never get one). */
const MAX_PENDING = 10_000;

/**
 * Fan-out series without code in the live layer: the bus the live layer subscribes through counts and timestamps
 * every arriving event (`seatmap_live_events_received_total`), and a listener on the coalesced stream counts the
 * broadcasts, their changes and the time from the first merged event's arrival to the broadcast
 * (`seatmap_live_fanout_lag_seconds`: the coalescing window plus this node's work; the Redis hop before it is not
 * in it — events carry no publish time).
 */
export function createFanoutMetrics(
  bus: EventBus,
  metrics: Pick<Metrics, 'liveEvents' | 'broadcasts' | 'broadcastChanges' | 'fanoutLag'>,
) {
  // scheduleId → fromVersion of an event not broadcast yet → when it arrived (ms, monotonic).
  const arrived = new Map<string, Map<number, number>>();

  const timedBus: EventBus = {
    kind: bus.kind,
    lastVersions: () => bus.lastVersions(),
    close: () => bus.close(),
    subscribe(scheduleId, listener, onResume) {
      return bus.subscribe(
        scheduleId,
        (event) => {
          metrics.liveEvents.inc();
          let pending = arrived.get(scheduleId);
          if (!pending) {
            pending = new Map();
            arrived.set(scheduleId, pending);
          }
          if (pending.size >= MAX_PENDING) pending.clear();
          if (!pending.has(event.fromVersion)) pending.set(event.fromVersion, performance.now());
          listener(event);
        },
        onResume,
      );
    },
  };

  return {
    /** Give this to the live layer instead of the bus itself. */
    bus: timedBus,
    /** Starts counting the broadcasts of this node's coalesced stream; returns the stop. */
    watch(stream: LiveStream): () => void {
      return stream.onAny(({ event }) => {
        metrics.broadcasts.inc();
        metrics.broadcastChanges.observe(event.changes.length);
        const pending = arrived.get(event.scheduleId);
        if (!pending) return;
        const at = pending.get(event.fromVersion);
        if (at !== undefined) metrics.fanoutLag.observe((performance.now() - at) / 1000);
        for (const from of pending.keys()) if (from < event.version) pending.delete(from);
        if (pending.size === 0) arrived.delete(event.scheduleId);
      });
    },
  };
}
