import type { EventBus } from '../live/event-bus.ts';
import type { LiveStream } from '../live/live-stream.ts';
import type { Metrics } from './registry.ts';

/** Publish times kept per performance until their broadcast (a bound, in case events never get one). */
const MAX_PENDING = 10_000;

/**
 * Fan-out series without code in the live layer: the bus the live layer subscribes through counts every arriving
 * event (`seatmap_live_events_received_total`) and notes its publish time, and a listener on the coalesced stream
 * counts the broadcasts, their changes and the time from the first merged event's publish to the broadcast
 * (`seatmap_live_fanout_lag_seconds`: the Redis hop, the coalescing window and this node's work). The publish time
 * is the hold store's clock (Redis `TIME`, or this process in embedded mode) and the broadcast time this node's
 * `Date.now()`: across machines the lag includes their clock offset (NTP keeps it to a millisecond or so). An event
 * without a publish time (from an older node) counts from its arrival.
 */
export function createFanoutMetrics(
  bus: EventBus,
  metrics: Pick<Metrics, 'liveEvents' | 'broadcasts' | 'broadcastChanges' | 'fanoutLag'>,
) {
  // scheduleId → fromVersion of an event not broadcast yet → when it was published (epoch ms).
  const published = new Map<string, Map<number, number>>();

  const timedBus: EventBus = {
    kind: bus.kind,
    lastVersions: () => bus.lastVersions(),
    close: () => bus.close(),
    subscribe(scheduleId, listener, onResume) {
      return bus.subscribe(
        scheduleId,
        (event) => {
          metrics.liveEvents.inc();
          let pending = published.get(scheduleId);
          if (!pending) {
            pending = new Map();
            published.set(scheduleId, pending);
          }
          if (pending.size >= MAX_PENDING) pending.clear();
          if (!pending.has(event.fromVersion)) pending.set(event.fromVersion, event.publishedAt ?? Date.now());
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
        const pending = published.get(event.scheduleId);
        if (!pending) return;
        const at = pending.get(event.fromVersion);
        if (at !== undefined) metrics.fanoutLag.observe(Math.max(0, Date.now() - at) / 1000);
        for (const from of pending.keys()) if (from < event.version) pending.delete(from);
        if (pending.size === 0) published.delete(event.scheduleId);
      });
    },
  };
}
