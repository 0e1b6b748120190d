import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newHoldId } from '../holds/hold-id.ts';
import { createMemoryHoldStore } from '../holds/memory-hold-store.ts';
import { freeRuns, newlyStranded, orphanGuard, orphanViolations, singleGaps } from './orphan-rule.ts';

const row = (n: number, label = 'A') =>
  Array.from({ length: n }, (_, i) => ({ id: `${label}${i + 1}`, position: i + 1 }));

describe('orphan-seat rule', () => {
  it('finds single free seats between taken seats and at row ends', () => {
    const seats = row(6);
    const taken = new Set(['A2', 'A4', 'A5']);
    expect(singleGaps(seats, (id) => taken.has(id))).toEqual(['A1', 'A3', 'A6']);
  });

  it('treats a gap in positions (an aisle) as a row end', () => {
    const seats = [
      { id: 'A1', position: 1 },
      { id: 'A2', position: 2 },
      { id: 'A4', position: 4 },
      { id: 'A5', position: 5 },
    ];
    expect(freeRuns(seats, new Set()).map((r) => r.map((s) => s.id))).toEqual([
      ['A1', 'A2'],
      ['A4', 'A5'],
    ]);
    expect(singleGaps(seats, (id) => id === 'A1')).toEqual(['A2']);
  });

  it('refuses a choice that strands a seat when a clean block exists', () => {
    expect(orphanViolations([row(10)], new Set(), new Set(['A2', 'A3']))).toEqual(['A1']);
    expect(orphanViolations([row(10)], new Set(), new Set(['A1', 'A2']))).toEqual([]);
    // Picking seats 1 and 3 strands seat 2 between them.
    expect(orphanViolations([row(10)], new Set(), new Set(['A1', 'A3']))).toEqual(['A2']);
  });

  it('allows it when no other choice of the same count avoids stranding', () => {
    // Free: A1..A3 only; two seats always leave one alone unless A1+A2 or A2+A3 … A1+A2 leaves A3 alone, A2+A3 leaves A1.
    const unavailable = new Set(['A4', 'A5', 'A6']);
    expect(orphanViolations([row(6)], unavailable, new Set(['A2', 'A3']))).toEqual([]);
  });

  it('ignores seats that were already stranded before the hold', () => {
    const unavailable = new Set(['A2']); // A1 is already alone
    expect(orphanViolations([row(10)], unavailable, new Set(['A3', 'A4']))).toEqual([]);
  });

  it('checks each row the choice touches', () => {
    const rows = [row(4, 'A'), row(4, 'B')];
    expect(orphanViolations(rows, new Set(), new Set(['A1', 'A2', 'B2', 'B3']))).toEqual(['B1', 'B4']);
  });

  it('guards the free seats beside the choice, with their neighbours (null at a row end or an aisle)', () => {
    const seats = [
      { id: 'A1', position: 1 },
      { id: 'A2', position: 2 },
      { id: 'A3', position: 3 },
      { id: 'A5', position: 5 },
      { id: 'A6', position: 6 },
    ];
    expect(orphanGuard([seats], new Set(['A2']))).toEqual([
      { seatId: 'A1', left: null, right: 'A2' },
      { seatId: 'A3', left: 'A2', right: null },
    ]);
    // A5 follows A3 in the row but across the aisle: not beside it.
    expect(orphanGuard([seats], new Set(['A3']))).toEqual([{ seatId: 'A2', left: 'A1', right: 'A3' }]);
  });

  it('the store refuses with the guard exactly the seats newlyStranded names (300 random rows)', async () => {
    const store = createMemoryHoldStore();
    for (let n = 0; n < 300; n++) {
      const scheduleId = randomUUID();
      const seats = row(8, `R${n}-`).filter(() => Math.random() < 0.9);
      const taken = seats.filter(() => Math.random() < 0.3).map((s) => s.id);
      if (taken.length > 0) await store.markReserved(scheduleId, taken);
      const free = seats.filter((s) => !taken.includes(s.id));
      const start = Math.floor(Math.random() * free.length);
      const chosen = new Set(free.slice(start, start + 1 + Math.floor(Math.random() * 2)).map((s) => s.id));
      if (chosen.size === 0) continue;
      const outcome = await store.create({
        holdId: newHoldId(scheduleId),
        scheduleId,
        seatIds: [...chosen],
        ttlMs: 60_000,
        orphanGuard: orphanGuard([seats], chosen),
      });
      const expected = newlyStranded(seats, new Set(taken), chosen);
      if (expected.length === 0) expect(outcome.ok, JSON.stringify({ seats, taken, chosen: [...chosen] })).toBe(true);
      else expect(outcome).toEqual({ ok: false, reason: 'orphan', strandedSeatIds: expected });
    }
  });
});
