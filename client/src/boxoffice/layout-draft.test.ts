import { describe, expect, it } from 'vitest';
import { draftSeats, nextSectionPosition, rowLabel, type SectionDraft } from './layout-draft.ts';

const section = (over: Partial<SectionDraft>): SectionDraft => ({
  name: 'A',
  grade: 'R',
  price: 100_000,
  rows: 2,
  seatsPerRow: 3,
  x: 0,
  y: 0,
  ...over,
});

describe('layout draft', () => {
  it('numbers rows across sections and places seats from each section’s corner', () => {
    const seats = draftSeats([section({ name: 'VIP', x: 2, y: 1 }), section({ name: 'R', rows: 1, y: 5 })]);
    expect(seats).toHaveLength(9);
    expect(seats.map((s) => s.seatNumber)).toEqual(['A01', 'A02', 'A03', 'B01', 'B02', 'B03', 'C01', 'C02', 'C03']);
    expect(seats[0]).toMatchObject({ section: 'VIP', row: 'A', x: 2, y: 1, grade: 'R', price: 100_000 });
    expect(seats[5]).toMatchObject({ row: 'B', x: 4, y: 2 });
    expect(seats[6]).toMatchObject({ section: 'R', row: 'C', x: 0, y: 5 });
    expect(new Set(seats.map((s) => s.id)).size).toBe(9);
  });

  it('pads seat numbers to three digits past 99 seats a row, and labels rows like a spreadsheet', () => {
    expect(draftSeats([section({ rows: 1, seatsPerRow: 120 })])[0]!.seatNumber).toBe('A001');
    expect([0, 25, 26, 27, 51, 52].map(rowLabel)).toEqual(['A', 'Z', 'AA', 'AB', 'AZ', 'BA']);
  });

  it('puts a new section under the lowest one', () => {
    expect(nextSectionPosition([])).toEqual({ x: 0, y: 0 });
    expect(nextSectionPosition([section({ x: 4, y: 0, rows: 3 }), section({ x: 1, y: 5, rows: 4 })])).toEqual({
      x: 1,
      y: 11,
    });
  });
});
