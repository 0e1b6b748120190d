import { layoutSeatSchema } from '@seatmap/shared';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bulkArrayOf } from './bulk-schema.ts';

const seat = {
  id: '00000000-0000-4000-8000-000000000001',
  seatNumber: 'A01',
  section: 'A',
  row: 'A',
  x: 0,
  y: 0,
  grade: 'R',
  price: 150000,
  accessible: false,
  companion: false,
};

describe('bulkArrayOf', () => {
  const seats = bulkArrayOf(layoutSeatSchema);

  it('accepts what the element schema accepts', () => {
    expect(seats.safeParse([seat, { ...seat, x: 1.5 }]).success).toBe(true);
    expect(seats.safeParse([]).success).toBe(true);
  });

  it('refuses a missing field, a wrong type, a non-object or a non-array', () => {
    const { price: _price, ...noPrice } = seat;
    for (const bad of [[noPrice], [{ ...seat, x: '1' }], [{ ...seat, accessible: 'no' }], [null], [seat, 3], seat]) {
      expect(seats.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('leaves fields that are not plain strings, numbers or booleans to the element schema', () => {
    const withTags = bulkArrayOf(z.object({ id: z.string(), tags: z.array(z.string()) }));
    expect(withTags.safeParse([{ id: 'a', tags: ['x'] }]).success).toBe(true);
    expect(withTags.safeParse([{ id: 'a', tags: [1] }]).success).toBe(false);
  });
});
