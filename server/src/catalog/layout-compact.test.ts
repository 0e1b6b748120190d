import { randomUUID } from 'node:crypto';
import { columnarLayoutSchema, decodeColumn, type Layout, layoutSchema, seatsFromColumns } from '@seatmap/shared';
import { describe, expect, it } from 'vitest';
import { decodeColumnarLayout } from '../../../client/src/lib/layout-compact.ts';
import { encodeColumn, seatColumns, toColumnar } from './layout-compact.ts';
import { layoutSeatIds } from './seat-ids.ts';

const scheduleId = '33333333-3333-4333-8333-333333333333';

/** Spreadsheet row labels: A…Z, AA… */
const rowLabel = (i: number): string =>
  (i < 26 ? '' : rowLabel(Math.floor(i / 26) - 1)) + String.fromCharCode(65 + (i % 26));

/**
 * 50,000 seats shaped like the demo stadium's `GET …/layout` (44 sections of rows; row labels continue across
 * sections; seat numbers = row + position), with some seats flagged and one standing area.
 */
function stadium(ids: (count: number) => string[]): Layout {
  const sections = [
    ...Array.from({ length: 4 }, (_, i) => ({ name: `VIP${i + 1}`, grade: 'VIP', price: 220_000, rows: 25, per: 30 })),
    ...Array.from({ length: 12 }, (_, i) => ({ name: `R${i + 1}`, grade: 'R', price: 180_000, rows: 25, per: 50 })),
    ...Array.from({ length: 16 }, (_, i) => ({ name: `S${i + 1}`, grade: 'S', price: 150_000, rows: 25, per: 50 })),
    ...Array.from({ length: 12 }, (_, i) => ({ name: `A${i + 1}`, grade: 'A', price: 110_000, rows: 20, per: 50 })),
  ];
  const seats: Omit<Layout['seats'][number], 'id' | 'accessible' | 'companion'>[] = [];
  let rowIndex = 0;
  sections.forEach((section, k) => {
    for (let r = 0; r < section.rows; r++) {
      const row = rowLabel(rowIndex++);
      for (let p = 1; p <= section.per; p++) {
        const { name, grade, price } = section;
        const x = (k % 8) * 56 + p - 1;
        const y = Math.floor(k / 8) * 30 + r;
        seats.push({ seatNumber: `${row}${String(p).padStart(2, '0')}`, section: name, row, x, y, grade, price });
      }
    }
  });
  const seatIds = ids(seats.length);
  return {
    scheduleId,
    layoutVersion: 'L1',
    seats: seats.map((s, i) => ({
      id: seatIds[i]!,
      ...s,
      accessible: i % 997 === 0,
      companion: i % 997 === 1 || i % 997 === 996,
    })),
    areas: [
      {
        id: '77777777-7777-4777-8777-777777777777',
        name: '스탠딩 A',
        grade: 'VIP',
        price: 200_000,
        capacity: 3000,
        x: -10,
        y: 4,
        width: 40,
        height: 20,
      },
    ],
  };
}

const counted = (n: number) => layoutSeatIds(n);
const random = (n: number) => Array.from({ length: n }, () => randomUUID());

describe('columnar layout: encoder and decoder', () => {
  it.each([
    ['seat ids that share a prefix and count up', counted, 'counted'],
    ['seat ids with nothing in common (an imported layout)', random, 'list'],
  ])('gives back every field of every seat and the areas: %s', (_name, ids, idKind) => {
    const layout = stadium(ids);
    const columnar = columnarLayoutSchema.strict().parse(JSON.parse(JSON.stringify(toColumnar(layout))));
    expect(columnar.seatCount).toBe(50_000);
    expect(Object.keys(columnar.seatColumns)).toEqual(Object.keys(layout.seats[0]!));
    expect(columnar.seatColumns.id!.kind).toBe(idKind);
    // The client's decoder: the same layout object as SPEC §9's form, field by field, in seat order.
    const decoded = decodeColumnarLayout(columnar);
    expect(layoutSchema.strict().parse(decoded)).toEqual(layout);
    expect(decoded.seats.filter((s) => s.accessible)).toHaveLength(51);
    expect(decoded.seats.filter((s) => s.companion)).toHaveLength(101);
  });

  it('is a fraction of the full form with counting ids', () => {
    const layout = stadium(counted);
    const full = JSON.stringify(layout).length;
    const columns = JSON.stringify(toColumnar(layout)).length;
    expect(columns).toBeLessThan(full / 50);
    const columnar = toColumnar(layout);
    expect(columnar.seatColumns.x!.kind).toBe('steps');
    expect(columnar.seatColumns.grade!.kind).toBe('runs');
  });

  it('encodes any field a seat may carry: new ones, nested values, fields some seats lack, fractions', () => {
    const seats = [
      { id: 'a', x: 0.1, y: -2, tag: { gate: 3 }, note: null, n: 1 },
      { id: 'b', x: 0.2, y: -2, tag: { gate: 3 }, n: 2 },
      { id: 'c', x: 0.30000000000000004, y: 1e21, tag: ['x'], note: 'wheelchair', n: 3 },
      { id: 'A1', x: Number.MAX_SAFE_INTEGER, y: -0, tag: { gate: 4 }, note: '' },
    ];
    const columns = JSON.parse(JSON.stringify(seatColumns(seats)));
    expect(Object.keys(columns)).toEqual(['id', 'x', 'y', 'tag', 'note', 'n']);
    expect(columns.note.absent).toEqual([1, 1]);
    expect(columns.n.absent).toEqual([3, 1]);
    // As the full form's JSON carries them (-0 is 0 there too).
    expect(seatsFromColumns(seats.length, columns)).toEqual(JSON.parse(JSON.stringify(seats)));
  });

  it('picks the shortest kind that gives the values back exactly', () => {
    const rows = ['A', 'B', 'C'].flatMap((row) =>
      Array.from({ length: 30 }, (_, k) => `${row}${String(k + 1).padStart(2, '0')}`),
    );
    expect(encodeColumn(rows)).toEqual({
      kind: 'counted',
      radix: 10,
      runs: ['A', 1, 30, 2, 'B', 1, 30, 2, 'C', 1, 30, 2],
    });
    expect(encodeColumn(Array.from({ length: 40 }, (_, k) => (k < 25 ? 5 : 7)))).toMatchObject({
      runs: [5, 0, 25, 7, 0, 15],
    });
    expect(encodeColumn([...'xxxxxxxxxxyyyyyyyyyyx'])).toEqual({
      kind: 'runs',
      values: ['x', 'y'],
      runs: [0, 10, 1, 10, 0, 1],
    });
    // Leading zeros that grow past their width start a new run; uppercase hex is not a radix-16 counter.
    for (const values of [
      ['A9', 'A10', 'A11'],
      ['09', '10'],
      ['ABCD', 'ABCE'],
      ['x-0fff', 'x-1000'],
      [1, '1', true, null],
    ]) {
      expect(decodeColumn('f', encodeColumn(values), values.length)).toEqual(values);
    }
    expect(encodeColumn([]).kind).toBeDefined();
  });

  it('refuses a malformed column instead of building wrong seats', () => {
    const bad = [
      { kind: 'runs', values: ['x'], runs: [0, 3] },
      { kind: 'runs', values: ['x'], runs: [1, 2] },
      { kind: 'steps', runs: [0, 1, 1] },
      { kind: 'steps', runs: [0, 'a', 2] },
      { kind: 'counted', radix: 16, runs: ['p', 0, 2, 99] },
      { kind: 'counted', radix: 8, runs: ['p', 0, 2, 2] },
      { kind: 'list', values: ['x'] },
      { kind: 'table', values: [] },
    ];
    for (const column of bad) {
      expect(() => decodeColumn('f', column as never, 2), JSON.stringify(column)).toThrow(/Columnar layout/);
    }
    expect(() => seatsFromColumns(2, { f: { kind: 'list', values: ['x'], absent: [1, 5] } })).toThrow(/absent/);
    // Decoded seats that do not fit SPEC §9's seat are refused too.
    const columnar = toColumnar(stadium(counted));
    columnar.seatColumns.price = { kind: 'runs', values: ['free'], runs: [0, 50_000] };
    expect(() => decodeColumnarLayout(columnar)).toThrow(/price/);
    const { grade: _grade, ...noGrade } = toColumnar(stadium(counted)).seatColumns;
    expect(() => decodeColumnarLayout({ ...columnar, seatColumns: noGrade })).toThrow(/grade/);
  });
});
