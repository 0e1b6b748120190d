import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { holdStoreContract, newHoldId } from './hold-store.contract.ts';
import type { SeatEvent } from './hold-store.ts';
import { createMemoryHoldStore } from './memory-hold-store.ts';

holdStoreContract('memory', async (reservedSeats) => {
  let clock = Date.now();
  const listeners = new Map<string, SeatEvent[]>();
  return {
    store: createMemoryHoldStore({
      now: () => clock,
      reservedSeats,
      publish: (event) => listeners.get(event.scheduleId)?.push(structuredClone(event)),
    }),
    elapse: async (ms) => {
      clock += ms;
    },
    listen: async (scheduleId) => {
      const events: SeatEvent[] = [];
      listeners.set(scheduleId, events);
      return events;
    },
    close: async () => {},
  };
});

describe('memory hold store', () => {
  it('refuses a hold id that is already in use', async () => {
    const store = createMemoryHoldStore();
    const scheduleId = randomUUID();
    const holdId = newHoldId(scheduleId);
    await store.create({ holdId, scheduleId, seatIds: ['a'], ttlMs: 1000 });
    await expect(store.create({ holdId, scheduleId, seatIds: ['b'], ttlMs: 1000 })).rejects.toThrow(
      'hold id already in use',
    );
    expect(store.kind).toBe('memory');
  });
});
