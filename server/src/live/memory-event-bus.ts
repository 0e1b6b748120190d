import { type SeatsChanged, seatsChangedSchema } from '@seatmap/shared';
import type { EventBus } from './event-bus.ts';
import type { LiveLogger } from './types.ts';

/**
 * In-process event bus for embedded (single-node) mode. Delivery is asynchronous, like Redis, so a publisher
 * never runs subscriber code inside its own call stack.
 */
export function createMemoryEventBus(options: { logger?: LiveLogger } = {}): EventBus {
  const listeners = new Set<(event: SeatsChanged) => void>();
  let closed = false;

  return {
    kind: 'memory',
    async publish(event) {
      if (closed) return;
      // The payload is copied as Redis would, so a subscriber can never mutate the publisher's object.
      const parsed = seatsChangedSchema.parse(structuredClone(event));
      queueMicrotask(() => {
        for (const listener of listeners) {
          try {
            listener(parsed);
          } catch (err) {
            options.logger?.error({ err }, 'event bus listener failed');
          }
        }
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async ready() {},
    async close() {
      closed = true;
      listeners.clear();
    },
  };
}
