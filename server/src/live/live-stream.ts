import type { SeatsChanged } from '@seatmap/shared';
import { createCoalescer } from './coalescer.ts';
import type { EventBus } from './event-bus.ts';
import type { LiveLogger } from './types.ts';

type Listener = (event: SeatsChanged) => void;

/** The coalesced `seats:changed` stream of this node, shared by the Socket.IO gateway and the plain feed. */
export interface LiveStream {
  /** Every coalesced event, all schedules. */
  onAny(listener: Listener): () => void;
  /** Coalesced events of one schedule. */
  onSchedule(scheduleId: string, listener: Listener): () => void;
  close(): void;
}

/** Subscribes the bus once per node and coalesces for `windowMs`, so each event crosses Redis once. */
export function createLiveStream(options: { bus: EventBus; windowMs: number; logger?: LiveLogger }): LiveStream {
  const any = new Set<Listener>();
  const bySchedule = new Map<string, Set<Listener>>();

  const deliver = (listener: Listener, event: SeatsChanged) => {
    try {
      listener(event);
    } catch (err) {
      options.logger?.error({ err, scheduleId: event.scheduleId }, 'live listener failed');
    }
  };
  const coalescer = createCoalescer({
    windowMs: options.windowMs,
    emit(event) {
      for (const listener of any) deliver(listener, event);
      for (const listener of bySchedule.get(event.scheduleId) ?? []) deliver(listener, event);
    },
  });
  const unsubscribe = options.bus.subscribe((event) => coalescer.push(event));

  return {
    onAny(listener) {
      any.add(listener);
      return () => any.delete(listener);
    },
    onSchedule(scheduleId, listener) {
      let set = bySchedule.get(scheduleId);
      if (!set) {
        set = new Set();
        bySchedule.set(scheduleId, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && bySchedule.get(scheduleId) === set) bySchedule.delete(scheduleId);
      };
    },
    close() {
      unsubscribe();
      coalescer.close();
      any.clear();
      bySchedule.clear();
    },
  };
}
