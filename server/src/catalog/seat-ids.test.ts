import { uuid } from '@seatmap/shared';
import { describe, expect, it } from 'vitest';
import { layoutSeatIds } from './seat-ids.ts';

describe('layout seat ids', () => {
  it('are valid, unique UUIDs sharing a per-layout prefix', () => {
    const ids = layoutSeatIds(50_000);
    expect(new Set(ids).size).toBe(50_000);
    for (const id of [ids[0]!, ids[49_999]!]) expect(uuid.safeParse(id).success).toBe(true);
    expect(ids[0]!.slice(0, 24)).toBe(ids[49_999]!.slice(0, 24));
    expect(ids[14]!.endsWith('00000000000e')).toBe(true);
  });

  it('differ between layouts', () => {
    expect(layoutSeatIds(1)[0]!.slice(0, 24)).not.toBe(layoutSeatIds(1)[0]!.slice(0, 24));
  });
});
