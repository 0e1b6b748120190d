import type { SeatMap } from '@seatmap/shared';
import { describe, expect, it } from 'vitest';
import { SeatHitIndex } from './seat-hit-index.ts';
import { fromSeatMap } from './seat-snapshot.ts';
import { SeatStore, seatPosition } from './seat-store.ts';

function grid(rows: number, perRow: number): SeatMap {
  const seats = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < perRow; c++) {
      const n = r * perRow + c;
      seats.push({
        id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
        seatNumber: `${String.fromCharCode(65 + r)}${String(c + 1).padStart(2, '0')}`,
        section: 'A',
        row: String.fromCharCode(65 + r),
        x: c * 20,
        y: r * 25,
        grade: 'R',
        price: 150000,
        status: 'available' as const,
      });
    }
  }
  return { scheduleId: '33333333-3333-4333-8333-333333333333', version: 0, seats };
}

describe('SeatStore', () => {
  it('derives pitch, bounds and sections from the layout', () => {
    const store = new SeatStore(fromSeatMap(grid(3, 5)));
    expect(store.pitch).toBe(20);
    expect(store.bounds).toEqual({ minX: 0, minY: 0, maxX: 80, maxY: 50 });
    expect(store.sections.map((s) => [s.name, s.indices.length])).toEqual([['A', 15]]);
    expect([...store.gradePrices]).toEqual([['R', 150000]]);
  });

  it('keeps the highest price of each grade, grades in seat order', () => {
    const map = grid(2, 3);
    map.seats.forEach((s, i) => {
      s.grade = i < 3 ? 'S' : 'VIP';
      s.price = [90000, 120000, 100000, 200000, 200000, 180000][i]!;
    });
    expect([...new SeatStore(fromSeatMap(map)).gradePrices]).toEqual([
      ['S', 120000],
      ['VIP', 200000],
    ]);
  });

  it('moves along rows and between rows for keyboard navigation', () => {
    const store = new SeatStore(fromSeatMap(grid(3, 5)));
    expect(store.neighbour(0, 1, 0)).toBe(1);
    expect(store.neighbour(0, -1, 0)).toBeUndefined();
    expect(store.neighbour(2, 0, 1)).toBe(7);
    expect(store.rowEnd(7, 'last')).toBe(9);
    expect(store.rowEnd(7, 'first')).toBe(5);
  });

  it('reload reports only seats whose status changed', () => {
    const map = grid(1, 3);
    const store = new SeatStore(fromSeatMap(map));
    const next = {
      ...map,
      version: 4,
      seats: map.seats.map((s, i) => (i === 1 ? { ...s, status: 'reserved' as const } : s)),
    };
    expect(store.reload(fromSeatMap(next))).toEqual([1]);
    expect(store.statusOf(1)).toBe('reserved');
    expect(store.version).toBe(4);
  });

  it('applies a live change at its index, or by its seat id when the index names another seat', () => {
    const map = grid(1, 3);
    const store = new SeatStore(fromSeatMap(map));
    const [a, b, c] = map.seats;
    const result = store.apply({
      scheduleId: map.scheduleId,
      fromVersion: 0,
      version: 2,
      changes: [
        { seatId: b!.id, index: 1, status: 'held' },
        { seatId: c!.id, index: 0, status: 'reserved' },
      ],
    });
    expect(result).toEqual({ kind: 'applied', changed: [1, 2] });
    expect([0, 1, 2].map((i) => store.statusOf(i))).toEqual(['available', 'held', 'reserved']);
    expect(store.indexById.get(a!.id)).toBe(0);
  });

  it('keeps its standing areas’ free places: in the bounds, from live changes and from a fresh snapshot', () => {
    const map = grid(1, 3);
    const floor = {
      id: '44444444-4444-4444-8444-444444444444',
      name: 'Floor',
      grade: 'GA',
      price: 99_000,
      capacity: 500,
      x: -10,
      y: 40,
      width: 100,
      height: 30,
    };
    const store = new SeatStore({ ...fromSeatMap(map), areas: [{ ...floor, available: 500 }] });
    expect(store.bounds).toEqual({ minX: -10, minY: 0, maxX: 90, maxY: 70 });
    expect([...store.gradePrices]).toEqual([
      ['R', 150000],
      ['GA', 99_000],
    ]);
    const result = store.apply({
      scheduleId: map.scheduleId,
      fromVersion: 0,
      version: 3,
      changes: [],
      areaChanges: [{ areaId: floor.id, available: 497 }],
    });
    expect(result).toEqual({ kind: 'applied', changed: [] });
    expect(store.areas[0]!.available).toBe(497);
    store.reload({ ...fromSeatMap(map), version: 5, areas: [{ ...floor, available: 480 }] });
    expect(store.areas[0]!.available).toBe(480);
  });

  it('reads the seat number within the row', () => {
    expect(seatPosition({ seatNumber: 'A07' })).toBe('7');
    expect(seatPosition({ seatNumber: 'VIP' })).toBe('VIP');
  });
});

describe('SeatHitIndex', () => {
  it('finds the seat under a point, nothing between rows far from seats, and the section block', () => {
    const store = new SeatStore(fromSeatMap(grid(3, 5)));
    const hits = new SeatHitIndex(store);
    expect(hits.seatAt(41, 24)).toBe(7); // row B (y 25), seat 3 (x 40)
    expect(hits.seatAt(200, 200)).toBe(-1);
    expect(hits.sectionAt(40, 25)?.name).toBe('A');
    expect(hits.rowStarts).toEqual([0, 5, 10]);
  });
});
