import type { HoldStore } from '../holds/hold-store.ts';
import type { Metrics } from './registry.ts';

/** The same hold store with every call timed into `seatmap_hold_store_duration_seconds`. */
export function timedHoldStore(store: HoldStore, metrics: Pick<Metrics, 'holdStoreDuration'>): HoldStore {
  const timed = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'close') return value;
      let wrapper = timed.get(property);
      if (!wrapper) {
        const method = String(property);
        wrapper = async (...args: unknown[]) => {
          const end = metrics.holdStoreDuration.startTimer({ method });
          try {
            const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
            end({ outcome: 'ok' });
            return result;
          } catch (err) {
            end({ outcome: 'error' });
            throw err;
          }
        };
        timed.set(property, wrapper);
      }
      return wrapper;
    },
  });
}
