import { describe, expect, it } from 'vitest';
import { freeRuns, orphanViolations, singleGaps } from './orphan-rule.ts';

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
});
