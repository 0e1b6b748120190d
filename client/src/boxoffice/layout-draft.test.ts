import { describe, expect, it } from 'vitest';
import { draftLayout, nextPosition, parseSeatNumbers, type SectionDraft } from './layout-draft.ts';

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
  it('previews the seats as the server numbers and places them, with their flags, and the areas all free', () => {
    const { seats, areas } = draftLayout({
      sections: [section({ name: 'VIP', x: 2, y: 1 }), section({ name: 'R', rows: 1, y: 5 })],
      areas: [{ name: 'Floor', grade: 'GA', price: 88_000, capacity: 300, x: 0, y: 8, width: 10, height: 4 }],
      accessibleSeats: ['C01'],
      companionSeats: ['C02'],
    });
    expect(seats.map((s) => s.seatNumber)).toEqual(['A01', 'A02', 'A03', 'B01', 'B02', 'B03', 'C01', 'C02', 'C03']);
    expect(seats[0]).toMatchObject({ section: 'VIP', row: 'A', x: 2, y: 1, accessible: false });
    expect(seats[6]).toMatchObject({ section: 'R', row: 'C', x: 0, y: 5, accessible: true, companion: false });
    expect(seats[7]).toMatchObject({ companion: true });
    expect(new Set(seats.map((s) => s.id)).size).toBe(9);
    expect(areas).toEqual([expect.objectContaining({ name: 'Floor', capacity: 300, available: 300 })]);
  });

  it('puts a new block under the lowest section or area', () => {
    expect(nextPosition([])).toEqual({ x: 0, y: 0 });
    expect(nextPosition([section({ x: 4, y: 0, rows: 3 }), section({ x: 1, y: 5, rows: 4 })])).toEqual({ x: 1, y: 11 });
    expect(nextPosition([{ x: 0, y: 20, height: 6 }])).toEqual({ x: 0, y: 28 });
  });

  it('reads typed seat numbers in any case and separator', () => {
    expect(parseSeatNumbers(' a01, A02;b03  a01 ')).toEqual(['A01', 'A02', 'B03']);
    expect(parseSeatNumbers('')).toEqual([]);
  });
});
