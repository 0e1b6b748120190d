import type { SeatsChanged } from '@seatmap/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HoldStore } from './hold-store.ts';
import { startSweeper } from './sweeper.ts';

const event: SeatsChanged = {
  scheduleId: 's',
  fromVersion: 0,
  version: 1,
  changes: [{ seatId: 'a', status: 'available' }],
};

function fakeStore(sweep: () => Promise<SeatsChanged[]>): HoldStore {
  return { sweepExpired: vi.fn(sweep) } as unknown as HoldStore;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('startSweeper', () => {
  it('sweeps every interval and hands over non-empty results', async () => {
    vi.useFakeTimers();
    const results = [[event], [], [event]];
    const store = fakeStore(async () => results.shift() ?? []);
    const seen: SeatsChanged[][] = [];
    const stop = startSweeper(store, { intervalMs: 100, onEvents: (events) => void seen.push(events) });
    await vi.advanceTimersByTimeAsync(350);
    expect(store.sweepExpired).toHaveBeenCalledTimes(3);
    expect(store.sweepExpired).toHaveBeenCalledWith(500);
    expect(seen).toEqual([[event], [event]]);
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
    const onEvents = vi.fn();
    const stop = startSweeper(store, { intervalMs: 10, onEvents });
    await vi.advanceTimersByTimeAsync(1200);
    expect(maxActive).toBe(1);
    expect(store.sweepExpired).toHaveBeenCalledTimes(3);
    const stopping = stop();
    await vi.advanceTimersByTimeAsync(500);
    await stopping;
    expect(active).toBe(0);
    expect(onEvents).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(1000);
    expect(store.sweepExpired).toHaveBeenCalledTimes(3);
  });

  it('reports errors and keeps sweeping', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const store = fakeStore(async () => {
      calls++;
      if (calls === 1) throw new Error('redis down');
      return [event];
    });
    const errors: unknown[] = [];
    const onEvents = vi.fn(() => {
      throw new Error('publish failed');
    });
    const stop = startSweeper(store, { intervalMs: 50, onEvents, onError: (err) => errors.push(err) });
    await vi.advanceTimersByTimeAsync(120);
    expect(errors.map((e) => (e as Error).message)).toEqual(['redis down', 'publish failed']);
    expect(onEvents).toHaveBeenCalledWith([event]);
    await stop();
  });
});
