import { randomUUID } from 'node:crypto';
import type { SeatsChanged } from '@seatmap/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCoalescer } from './coalescer.ts';

const scheduleId = randomUUID();
const otherSchedule = randomUUID();
const seats = Array.from({ length: 200 }, () => randomUUID());

/** One change per version step, as the hold store writes them. */
function ev(fromVersion: number, version: number, schedule = scheduleId): SeatsChanged {
  const changes = Array.from({ length: version - fromVersion }, (_, i) => ({
    seatId: seats[fromVersion + i]!,
    status: 'held' as const,
  }));
  return { scheduleId: schedule, fromVersion, version, changes };
}

describe('coalescer', () => {
  let emitted: SeatsChanged[];
  let coalescer: ReturnType<typeof createCoalescer>;

  beforeEach(() => {
    vi.useFakeTimers();
    emitted = [];
    coalescer = createCoalescer({ windowMs: 40, emit: (e) => emitted.push(e) });
  });
  afterEach(() => {
    coalescer.close();
    vi.useRealTimers();
  });

  it('holds events for the window, then emits one merged event per contiguous run', () => {
    coalescer.push(ev(0, 1));
    coalescer.push(ev(1, 3));
    coalescer.push(ev(3, 4));
    vi.advanceTimersByTime(39);
    expect(emitted).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(emitted).toEqual([ev(0, 4)]);
  });

  it('sorts out-of-order arrivals (two nodes publishing) before merging', () => {
    coalescer.push(ev(2, 3));
    coalescer.push(ev(0, 1));
    coalescer.push(ev(1, 2));
    vi.advanceTimersByTime(40);
    expect(emitted).toEqual([ev(0, 3)]);
  });

  it('waits one more window for a missing version, then emits the runs around a gap separately', () => {
    coalescer.push(ev(0, 2));
    coalescer.push(ev(5, 6));
    coalescer.push(ev(6, 7));
    vi.advanceTimersByTime(40);
    expect(emitted).toEqual([]);
    vi.advanceTimersByTime(40);
    expect(emitted).toEqual([ev(0, 2), ev(5, 7)]);
    // The next batch continues from 7 and goes out after one window again.
    coalescer.push(ev(7, 8));
    vi.advanceTimersByTime(40);
    expect(emitted).toEqual([ev(0, 2), ev(5, 7), ev(7, 8)]);
  });

  it('merges a version that arrives after its successor when it comes within the extra window', () => {
    coalescer.push(ev(0, 1));
    vi.advanceTimersByTime(40);
    coalescer.push(ev(2, 3));
    vi.advanceTimersByTime(40);
    expect(emitted).toEqual([ev(0, 1)]);
    coalescer.push(ev(1, 2));
    vi.advanceTimersByTime(40);
    expect(emitted).toEqual([ev(0, 1), ev(1, 3)]);
  });

  it('drops duplicates and events already emitted, and trims partial overlaps', () => {
    coalescer.push(ev(0, 3));
    coalescer.push(ev(0, 3));
    vi.advanceTimersByTime(40);
    coalescer.push(ev(1, 2));
    coalescer.push(ev(2, 5));
    vi.advanceTimersByTime(40);
    expect(emitted).toEqual([ev(0, 3), ev(3, 5)]);
  });

  it('keeps schedules apart, each on its own window', () => {
    coalescer.push(ev(0, 1));
    vi.advanceTimersByTime(20);
    coalescer.push(ev(0, 1, otherSchedule));
    vi.advanceTimersByTime(20);
    expect(emitted).toEqual([ev(0, 1)]);
    coalescer.push(ev(1, 2));
    vi.advanceTimersByTime(20);
    expect(emitted).toEqual([ev(0, 1), ev(0, 1, otherSchedule)]);
    vi.advanceTimersByTime(20);
    expect(emitted).toEqual([ev(0, 1), ev(0, 1, otherSchedule), ev(1, 2)]);
  });

  it('merges a burst of 100 single changes into one event with every change', () => {
    for (let v = 0; v < 100; v++) coalescer.push(ev(v, v + 1));
    vi.advanceTimersByTime(40);
    expect(emitted).toHaveLength(1);
    expect(emitted[0]).toEqual(ev(0, 100));
  });

  it('follows a store that started counting again instead of dropping everything', () => {
    coalescer.push(ev(0, 150));
    vi.advanceTimersByTime(40);
    coalescer.push({ ...ev(0, 1), changes: [{ seatId: seats[0]!, status: 'available' }] });
    vi.advanceTimersByTime(40);
    // 150 - 1 < RESET_DISTANCE: treated as a late duplicate.
    expect(emitted).toHaveLength(1);
    vi.advanceTimersByTime(31_000);
    coalescer.push(ev(0, 1));
    vi.advanceTimersByTime(40);
    // After a quiet period the history is forgotten.
    expect(emitted).toEqual([ev(0, 150), ev(0, 1)]);

    const far = { scheduleId: otherSchedule, fromVersion: 4000, version: 5000, changes: [] };
    coalescer.push(far);
    vi.advanceTimersByTime(40);
    coalescer.push(ev(0, 1, otherSchedule));
    vi.advanceTimersByTime(40);
    // Far behind the last version: the numbering was reset, not a late duplicate.
    expect(emitted.slice(2)).toEqual([far, ev(0, 1, otherSchedule)]);
  });

  it('flush emits pending events at once', () => {
    coalescer.push(ev(0, 1));
    coalescer.flush();
    expect(emitted).toEqual([ev(0, 1)]);
    vi.advanceTimersByTime(40);
    expect(emitted).toHaveLength(1);
  });
});
