import { describe, expect, it } from 'vitest';
import type { LayoutSeat } from '../catalog/seat-layouts.ts';
import { accessibleBlock, flaggedSeatIds, pickBestAvailable } from './best-available.ts';

function hall(rows: { label: string; grade: string; seats: number }[]): LayoutSeat[][] {
  return rows.map((r, y) =>
    Array.from({ length: r.seats }, (_, i) => ({
      id: `${r.label}${String(i + 1).padStart(2, '0')}`,
      seatNumber: `${r.label}${String(i + 1).padStart(2, '0')}`,
      section: r.grade,
      row: r.label,
      position: i + 1,
      x: i * 10,
      y: y * 10,
      grade: r.grade,
      price: 1000,
      accessible: false,
      companion: false,
    })),
  );
}

const rows = hall([
  { label: 'A', grade: 'R', seats: 10 },
  { label: 'B', grade: 'R', seats: 10 },
  { label: 'C', grade: 'S', seats: 10 },
]);
const ids = (seats: LayoutSeat[] | null) => seats?.map((s) => s.id) ?? null;

describe('best available', () => {
  it('takes the centre of the row nearest the stage', () => {
    expect(ids(pickBestAvailable({ rows, unavailable: new Set(), count: 2, avoidOrphans: true }))).toEqual([
      'A05',
      'A06',
    ]);
  });

  it('keeps seats adjacent and moves back a row when the front row has no room', () => {
    const unavailable = new Set(['A03', 'A06', 'A09']);
    // Row A's longest free run is A04–A05 (2 seats): three adjacent seats must come from row B.
    expect(ids(pickBestAvailable({ rows, unavailable, count: 3, avoidOrphans: true }))).toEqual(['B04', 'B05', 'B06']);
  });

  it('limits the choice to a grade', () => {
    expect(ids(pickBestAvailable({ rows, unavailable: new Set(), count: 2, grade: 'S', avoidOrphans: true }))).toEqual([
      'C05',
      'C06',
    ]);
  });

  it('prefers a block that strands nobody within the best row', () => {
    // Free in row A: A01–A03 and A05–A10. Taking A02–A03 would strand A01; A05–A06 strands nobody.
    const unavailable = new Set(['A04']);
    const pick = ids(pickBestAvailable({ rows: [rows[0]!], unavailable, count: 2, avoidOrphans: true }));
    expect(pick).not.toEqual(['A02', 'A03']);
    expect(pick).toEqual(['A05', 'A06']);
  });

  it('returns null when no row has enough adjacent seats', () => {
    const unavailable = new Set(
      rows
        .flat()
        .filter((s) => s.position % 2 === 0)
        .map((s) => s.id),
    );
    expect(pickBestAvailable({ rows, unavailable, count: 2, avoidOrphans: true })).toBeNull();
  });

  describe('accessible seating (SPEC §12)', () => {
    // Row C: C01 C02 wheelchair spaces, C03 C04 companions; C09 wheelchair space, C10 companion.
    const flagged = hall([
      { label: 'A', grade: 'R', seats: 10 },
      { label: 'B', grade: 'R', seats: 10 },
      { label: 'C', grade: 'R', seats: 10 },
    ]).map((row) =>
      row.map((seat) => ({
        ...seat,
        accessible: ['C01', 'C02', 'C09'].includes(seat.id),
        companion: ['C03', 'C04', 'C10'].includes(seat.id),
      })),
    );

    it('returns n wheelchair spaces with companion seats beside them', () => {
      const pick = (count: number, accessible: number, unavailable: string[] = []) =>
        ids(
          pickBestAvailable({
            rows: flagged,
            unavailable: new Set(unavailable),
            count,
            avoidOrphans: false,
            accept: accessibleBlock(accessible),
          }),
        );
      expect(pick(2, 1)).toEqual(['C02', 'C03']);
      expect(pick(2, 1, ['C03'])).toEqual(['C09', 'C10']);
      expect(pick(2, 2)).toEqual(['C01', 'C02']);
      expect(pick(3, 1)).toEqual(['C02', 'C03', 'C04']);
      expect(pick(4, 2)).toEqual(['C01', 'C02', 'C03', 'C04']);
      // Taken companions: no block fits, rather than a wheelchair space beside a stranger's seat.
      expect(pick(2, 1, ['C03', 'C10'])).toBeNull();
      expect(pick(3, 2)).toEqual(['C01', 'C02', 'C03']);
      expect(pick(3, 3)).toBeNull();
    });

    it('plain best available leaves them alone while they are held back', () => {
      const held = new Set(flaggedSeatIds(flagged));
      expect([...held].sort()).toEqual(['C01', 'C02', 'C03', 'C04', 'C09', 'C10']);
      const unavailable = new Set([...flagged[0]!, ...flagged[1]!].map((s) => s.id));
      expect(ids(pickBestAvailable({ rows: flagged, unavailable, count: 2, avoidOrphans: false }))).toEqual([
        'C05',
        'C06',
      ]);
      for (const id of held) unavailable.add(id);
      expect(ids(pickBestAvailable({ rows: flagged, unavailable, count: 4, avoidOrphans: false }))).toEqual([
        'C05',
        'C06',
        'C07',
        'C08',
      ]);
      expect(pickBestAvailable({ rows: flagged, unavailable, count: 5, avoidOrphans: false })).toBeNull();
    });
  });
});
