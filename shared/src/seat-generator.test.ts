import { describe, expect, it } from 'vitest';
import type { LayoutSection } from './api.ts';
import { type GeneratedSeat, generateSeats, rowLabel, STADIUM_MIN_SEATS, seatNumber } from './seat-generator.ts';

const section = (name: string, grade: string, rows: number, seatsPerRow: number, price = 1000): LayoutSection => ({
  name,
  grade,
  price,
  rows,
  seatsPerRow,
});

function expectNoOverlap(seats: GeneratedSeat[]) {
  const spots = new Set(seats.map((s) => `${s.x},${s.y}`));
  expect(spots.size).toBe(seats.length);
}

describe('rowLabel', () => {
  it('counts like spreadsheet columns', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(rowLabel)).toEqual([
      'A',
      'B',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });
});

describe('seatNumber', () => {
  it('pads to two digits, or three past 99 seats per row', () => {
    expect(seatNumber('A', 1, 20)).toBe('A01');
    expect(seatNumber('AB', 12, 99)).toBe('AB12');
    expect(seatNumber('C', 7, 120)).toBe('C007');
  });
});

describe('generateSeats', () => {
  it('numbers the seed way: A01, A02, … then B01 in the next row', () => {
    const seats = generateSeats([section('R', 'R', 2, 3, 150000)]);
    expect(seats.map((s) => s.seatNumber)).toEqual(['A01', 'A02', 'A03', 'B01', 'B02', 'B03']);
    expect(seats[0]).toEqual({
      seatNumber: 'A01',
      section: 'R',
      rowLabel: 'A',
      position: 1,
      grade: 'R',
      price: 150000,
      x: seats[0]!.x,
      y: seats[0]!.y,
    });
    // Seats in a row are one unit apart; the next row is one unit further from the stage.
    expect(seats[1]!.x - seats[0]!.x).toBe(1);
    expect(seats[3]!.y - seats[0]!.y).toBe(1);
    expect(seats[3]!.x).toBe(seats[0]!.x);
  });

  it('continues row labels across sections in layout order, so seat numbers are unique', () => {
    const seats = generateSeats([section('Left', 'R', 2, 4), section('Right', 'R', 3, 4), section('Back', 'S', 1, 5)]);
    const rowsBySection = (name: string) => [
      ...new Set(seats.filter((s) => s.section === name).map((s) => s.rowLabel)),
    ];
    expect(rowsBySection('Left')).toEqual(['A', 'B']);
    expect(rowsBySection('Right')).toEqual(['C', 'D', 'E']);
    expect(rowsBySection('Back')).toEqual(['F']);
    expect(new Set(seats.map((s) => s.seatNumber)).size).toBe(seats.length);
    expectNoOverlap(seats);
  });

  it('draws a hall: stage side at the top, integer coordinates, premium sections nearest the stage', () => {
    const hall = [
      section('R1', 'R', 12, 20),
      section('R2', 'R', 12, 20),
      section('R3', 'R', 12, 20),
      section('S1', 'S', 10, 22),
      section('S2', 'S', 10, 22),
      section('S3', 'S', 10, 22),
      section('A1', 'A', 12, 26),
      section('A2', 'A', 12, 26),
    ];
    const seats = generateSeats(hall);
    expect(seats).toHaveLength(2004);
    expectNoOverlap(seats);
    expect(seats.every((s) => Number.isInteger(s.x) && Number.isInteger(s.y) && s.x >= 0 && s.y > 0)).toBe(true);
    const maxY = (grade: string) => Math.max(...seats.filter((s) => s.grade === grade).map((s) => s.y));
    const minY = (grade: string) => Math.min(...seats.filter((s) => s.grade === grade).map((s) => s.y));
    expect(maxY('R')).toBeLessThan(minY('S'));
    expect(maxY('S')).toBeLessThan(minY('A'));
    // Blocks in one tier sit side by side with an aisle between them.
    const r1 = seats.filter((s) => s.section === 'R1');
    const r2 = seats.filter((s) => s.section === 'R2');
    expect(Math.min(...r2.map((s) => s.x)) - Math.max(...r1.map((s) => s.x))).toBeGreaterThan(1);
    expect(Math.min(...r2.map((s) => s.y))).toBe(Math.min(...r1.map((s) => s.y)));
    // Roughly landscape, like a hall seen from above, not one long strip.
    const width = Math.max(...seats.map((s) => s.x)) - Math.min(...seats.map((s) => s.x));
    const depth = Math.max(...seats.map((s) => s.y)) - Math.min(...seats.map((s) => s.y));
    expect(width / depth).toBeGreaterThan(0.8);
    expect(width / depth).toBeLessThan(3);
  });

  it('draws a 50,000-seat stadium as floor blocks on a field with stands on three sides', () => {
    const stadium = [
      ...Array.from({ length: 4 }, (_, i) => section(`VIP${i + 1}`, 'VIP', 25, 30)),
      ...Array.from({ length: 12 }, (_, i) => section(`R${i + 1}`, 'R', 25, 50)),
      ...Array.from({ length: 16 }, (_, i) => section(`S${i + 1}`, 'S', 25, 50)),
      ...Array.from({ length: 12 }, (_, i) => section(`A${i + 1}`, 'A', 20, 50)),
    ];
    const seats = generateSeats(stadium);
    expect(seats).toHaveLength(50_000);
    expect(seats.length).toBeGreaterThanOrEqual(STADIUM_MIN_SEATS);
    expectNoOverlap(seats);
    expect(new Set(seats.map((s) => s.seatNumber)).size).toBe(50_000);
    expect(Math.max(...seats.map((s) => s.seatNumber.length))).toBeLessThanOrEqual(10);

    const box = (pred: (s: GeneratedSeat) => boolean) => {
      const sel = seats.filter(pred);
      return {
        minX: Math.min(...sel.map((s) => s.x)),
        maxX: Math.max(...sel.map((s) => s.x)),
        minY: Math.min(...sel.map((s) => s.y)),
        maxY: Math.max(...sel.map((s) => s.y)),
      };
    };
    const floor = box((s) => s.grade === 'VIP');
    const left = box((s) => s.section === 'R1'); // dealt to the left stand
    const right = box((s) => s.section === 'R2'); // right stand
    const end = box((s) => s.section === 'R3'); // end stand, facing the stage
    expect(left.maxX).toBeLessThan(floor.minX);
    expect(right.minX).toBeGreaterThan(floor.maxX);
    expect(end.minY).toBeGreaterThan(floor.maxY);
    // The floor is centred between the side stands.
    const all = box(() => true);
    expect(Math.abs((floor.minX + floor.maxX) / 2 - (all.minX + all.maxX) / 2)).toBeLessThan(10);
  });

  it('returns nothing for no sections', () => {
    expect(generateSeats([])).toEqual([]);
  });
});
