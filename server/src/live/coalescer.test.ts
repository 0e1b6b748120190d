import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SeatEvent } from '../holds/seat-event.ts';
import { createCoalescer, FANOUT_SPACING, MAX_SPACING_MS, mergeRuns } from './coalescer.ts';

const scheduleId = randomUUID();
const otherSchedule = randomUUID();
const seats = Array.from({ length: 200 }, () => randomUUID());

/** One change per version step, as the hold store writes them. */
function ev(fromVersion: number, version: number, schedule = scheduleId): SeatEvent {
  const changes = Array.from({ length: version - fromVersion }, (_, i) => ({
    seatId: seats[fromVersion + i]!,
    status: 'held' as const,
  }));
  return { scheduleId: schedule, fromVersion, version, changes };
}

describe('coalescer', () => {
  let emitted: SeatEvent[];
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

  it('never waits for a missing version: a gap goes out at once, as two events', () => {
    coalescer.push(ev(0, 2));
    coalescer.push(ev(5, 6));
    coalescer.push(ev(6, 7));
    vi.advanceTimersByTime(40);
    expect(emitted).toEqual([ev(0, 2), ev(5, 7)]);
    coalescer.push(ev(7, 8));
    vi.advanceTimersByTime(40);
    expect(emitted).toEqual([ev(0, 2), ev(5, 7), ev(7, 8)]);
  });

  it('drops what was already emitted and trims a partial overlap', () => {
    coalescer.push(ev(0, 3));
    vi.advanceTimersByTime(40);
    coalescer.push(ev(1, 2));
    coalescer.push(ev(2, 5));
    vi.advanceTimersByTime(40);
    expect(emitted).toEqual([ev(0, 3), ev(3, 5)]);
  });

  it('passes a notice (no changes, fromVersion = version) on only when it is ahead', () => {
    coalescer.push(ev(0, 2));
    vi.advanceTimersByTime(40);
    coalescer.push({ scheduleId, fromVersion: 2, version: 2, changes: [] });
    vi.advanceTimersByTime(40);
    expect(emitted).toEqual([ev(0, 2)]);
    const notice = { scheduleId, fromVersion: 9, version: 9, changes: [] };
    coalescer.push(notice);
    vi.advanceTimersByTime(40);
    expect(emitted).toEqual([ev(0, 2), notice]);
  });

  it('keeps schedules apart, each on its own window, and forgets one on request', () => {
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
    coalescer.forget(scheduleId);
    coalescer.push(ev(0, 1));
    vi.advanceTimersByTime(40);
    // Forgotten: a fresh start, nothing dropped as already sent.
    expect(emitted.at(-1)).toEqual(ev(0, 1));
  });

  it('merges a burst of 100 single changes into one event with every change', () => {
    for (let v = 0; v < 100; v++) coalescer.push(ev(v, v + 1));
    vi.advanceTimersByTime(40);
    expect(emitted).toEqual([ev(0, 100)]);
  });

  it('flush emits pending events at once', () => {
    coalescer.push(ev(0, 1));
    coalescer.flush();
    expect(emitted).toEqual([ev(0, 1)]);
    vi.advanceTimersByTime(40);
    expect(emitted).toHaveLength(1);
  });
});

describe('coalescer after a costly fan-out', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('spaces the next flush by FANOUT_SPACING × its cost (capped), and goes back to the window once cheap', () => {
    vi.useFakeTimers();
    // A clock the test moves: each emit "takes" `cost` ms, as a broadcast to thousands of sockets would.
    let clock = 0;
    let cost = 0;
    const emitted: SeatEvent[] = [];
    const coalescer = createCoalescer({
      windowMs: 40,
      now: () => clock,
      emit: (e) => {
        emitted.push(e);
        clock += cost;
      },
    });
    const advance = (ms: number) => {
      clock += ms;
      vi.advanceTimersByTime(ms);
    };

    cost = 100;
    coalescer.push(ev(0, 1));
    advance(40);
    expect(emitted).toEqual([ev(0, 1)]);
    // The next change waits 3 × 100 ms from the end of that fan-out, and gathers everything meanwhile.
    cost = 0;
    coalescer.push(ev(1, 2));
    advance(40);
    coalescer.push(ev(2, 3));
    advance(FANOUT_SPACING * 100 - 41);
    expect(emitted).toHaveLength(1);
    advance(1);
    expect(emitted).toEqual([ev(0, 1), ev(1, 3)]);
    // That flush was cheap: back to the plain window.
    coalescer.push(ev(3, 4));
    advance(40);
    expect(emitted.at(-1)).toEqual(ev(3, 4));

    // A very costly fan-out stretches the next window to MAX_SPACING_MS at most.
    cost = 10_000;
    coalescer.push(ev(4, 5));
    advance(40);
    cost = 0;
    coalescer.push(ev(5, 6));
    advance(MAX_SPACING_MS - 1);
    expect(emitted.at(-1)).toEqual(ev(4, 5));
    advance(1);
    expect(emitted.at(-1)).toEqual(ev(5, 6));
    coalescer.close();
  });
});

describe('mergeRuns', () => {
  it('keeps an event whose changes do not match its version span whole', () => {
    const odd = { ...ev(0, 3), changes: ev(0, 3).changes.slice(0, 1) };
    expect(mergeRuns([odd], 1).events).toEqual([odd]);
  });
});
