import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HoldStore, SeatEvent } from './hold-store.ts';
import { startSweeper } from './sweeper.ts';

const event: SeatEvent = {
  scheduleId: 's',
  fromVersion: 0,
  version: 1,
  changes: [{ seatId: 'a', status: 'available' }],
};

function fakeStore(sweep: () => Promise<SeatEvent[]>): HoldStore {
  return { sweepExpired: vi.fn(sweep) } as unknown as HoldStore;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('startSweeper', () => {
  it('sweeps every interval', async () => {
    vi.useFakeTimers();
    const store = fakeStore(async () => [event]);
    const stop = startSweeper(store, { intervalMs: 100 });
    await vi.advanceTimersByTimeAsync(350);
    expect(store.sweepExpired).toHaveBeenCalledTimes(3);
    expect(store.sweepExpired).toHaveBeenCalledWith(500);
    await stop();
  });

  it('never overlaps runs and waits for the running one on stop', async () => {
    vi.useFakeTimers();
    let active = 0;
    let maxActive = 0;
    const store = fakeStore(async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise((resolve) => setTimeout(resolve, 500));
      active--;
      return [event];
    });
    const stop = startSweeper(store, { intervalMs: 10 });
    await vi.advanceTimersByTimeAsync(1200);
    expect(maxActive).toBe(1);
    expect(store.sweepExpired).toHaveBeenCalledTimes(3);
    const stopping = stop();
    await vi.advanceTimersByTimeAsync(500);
    await stopping;
    expect(active).toBe(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(store.sweepExpired).toHaveBeenCalledTimes(3);
  });

  it('reports errors and keeps sweeping', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const store = fakeStore(async () => {
      calls++;
      if (calls <= 2) throw new Error(`redis down ${calls}`);
      return [event];
    });
    const errors: unknown[] = [];
    const stop = startSweeper(store, { intervalMs: 50, onError: (err) => errors.push(err) });
    await vi.advanceTimersByTimeAsync(170);
    expect(errors.map((e) => (e as Error).message)).toEqual(['redis down 1', 'redis down 2']);
    expect(store.sweepExpired).toHaveBeenCalledTimes(3);
    await stop();
  });
});
