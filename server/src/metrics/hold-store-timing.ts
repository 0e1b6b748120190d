import type { HoldStore } from '../holds/hold-store.ts';
import type { SeatEvent } from '../holds/seat-event.ts';
import type { Metrics } from './registry.ts';

/** An expiry sweep finished: the seats it freed, and when (the hold-expiry backlog alert watches it). */
function sweptInto(metrics: Pick<Metrics, 'expiredSeats' | 'lastSweep'>, events: SeatEvent[]) {
  let seats = 0;
  for (const event of events) seats += event.changes.length;
  if (seats > 0) metrics.expiredSeats.inc(seats);
  metrics.lastSweep.setToCurrentTime();
}

/**
 * The same hold store with every call timed into `seatmap_hold_store_duration_seconds`; expiry sweeps also count
 * the seats they freed.
 */
export function timedHoldStore(
  store: HoldStore,
  metrics: Pick<Metrics, 'holdStoreDuration' | 'expiredSeats' | 'lastSweep'>,
): HoldStore {
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
            if (method === 'sweepExpired') sweptInto(metrics, result as SeatEvent[]);
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
