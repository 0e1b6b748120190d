import { describe, expect, it } from 'vitest';
import { perMinute } from './minute-chart.ts';

describe('perMinute', () => {
  it('buckets bookings by minute, oldest first, the last bucket being the current minute', () => {
    const now = Date.parse('2026-11-25T10:30:20Z');
    const buckets = perMinute(
      [
        '2026-11-25T10:30:01Z',
        '2026-11-25T10:30:19Z',
        '2026-11-25T10:29:59Z',
        '2026-11-25T10:01:00Z',
        '2026-11-25T10:00:59Z', // 30 minutes ago: outside the window
        '2026-11-25T10:31:00Z', // clock skew: in the future, ignored
      ],
      now,
      30,
    );
    expect(buckets).toHaveLength(30);
    expect(buckets[29]).toBe(2);
    expect(buckets[28]).toBe(1);
    expect(buckets[0]).toBe(1);
    expect(buckets.reduce((a, b) => a + b, 0)).toBe(4);
  });
});
