import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { holdSchedule, newHoldId } from './hold-id.ts';

describe('hold ids', () => {
  it('carry their performance (so a call by hold id alone finds its Redis slot) and fit the route pattern', () => {
    const scheduleId = randomUUID();
    const ids = new Set(Array.from({ length: 100 }, () => newHoldId(scheduleId)));
    expect(ids.size).toBe(100);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{54}$/);
      expect(holdSchedule(id)).toBe(scheduleId);
    }
    expect(holdSchedule(newHoldId(scheduleId.toUpperCase()))).toBe(scheduleId);
  });

  it('reads no performance from ids it did not make', () => {
    for (const id of ['', 'abc', 'no-such-hold-000000000000000000', 'x'.repeat(54), '*'.repeat(54)]) {
      expect(holdSchedule(id)).toBeNull();
    }
    expect(() => newHoldId('not-a-uuid')).toThrow();
  });
});
