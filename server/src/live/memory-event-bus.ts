import type { PublishedSeatEvent, SeatEvent } from '../holds/seat-event.ts';
import type { EventBus, SeatEventListener } from './event-bus.ts';
import type { LiveLogger } from './types.ts';

export interface MemoryEventBus extends EventBus {
  /** What the memory hold store calls in the step that moves a version: queued, delivered in this order. */
  publish(event: SeatEvent): void;
}

/**
 * In-process event bus for embedded (single-node) mode. Delivery is asynchronous, like Redis, so a publisher
 * never runs subscriber code inside its own call stack, and in publish order (one FIFO queue).
 */
export function createMemoryEventBus(options: { logger?: LiveLogger } = {}): MemoryEventBus {
  const listeners = new Map<string, Set<SeatEventListener>>();
  const last = new Map<string, number>();
  const queue: PublishedSeatEvent[] = [];
  let draining = false;
  let closed = false;

  const drain = () => {
    draining = false;
    for (let event = queue.shift(); event; event = queue.shift()) {
      const set = listeners.get(event.scheduleId);
      if (!set) continue;
      if (event.version > (last.get(event.scheduleId) ?? -1)) last.set(event.scheduleId, event.version);
      for (const listener of set) {
        try {
          listener(event);
        } catch (err) {
          options.logger?.error({ err, scheduleId: event.scheduleId }, 'event bus listener failed');
        }
      }
    }
  };

  return {
    kind: 'memory',
    publish(event) {
      if (closed) return;
      // Copied as Redis would, so a subscriber can never mutate the publisher's object; stamped as the script does.
      queue.push({ ...structuredClone(event), publishedAt: Date.now() });
      if (!draining) {
        draining = true;
        queueMicrotask(drain);
      }
    },
    async subscribe(scheduleId, listener) {
      let set = listeners.get(scheduleId);
      if (!set) {
        set = new Set();
        listeners.set(scheduleId, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(scheduleId) === set) {
          listeners.delete(scheduleId);
          last.delete(scheduleId);
        }
      };
    },
    lastVersions: () => new Map(last),
    async close() {
      closed = true;
      listeners.clear();
      queue.length = 0;
    },
  };
}
