import { describe, expect, it } from 'vitest';
import { estimateWaitSeconds, MAX_POLL_MS, MIN_POLL_MS, OPENING_SPREAD_MS, pollAfterMs } from './poll-timing.ts';
import { toEntry } from './queue-configs.ts';

const now = 1_000_000;
const config = toEntry({
  concert_id: 'c',
  enabled: true,
  opens_at: new Date(now + 60_000),
  admit_per_minute: 600,
  max_active: 100,
  session_minutes: 10,
  challenge_bits: 0,
  paused: false,
  created_at: new Date(),
  updated_at: new Date(),
});
const waiting = (ahead: number | null, over: object = {}) =>
  ({ status: 'waiting', now: now + 60_000, ahead, waiting: 1000, active: 0, admittedLastMinute: 0, ...over }) as const;

describe('poll timing', () => {
  it('estimates from the rate, or from the turnover once maxActive is full', () => {
    expect(estimateWaitSeconds(waiting(59), config)).toBe(6);
    expect(estimateWaitSeconds(waiting(59, { active: 100, admittedLastMinute: 30 }), config)).toBe(120);
    // Pre-queue: until opening plus half the pre-queue's turn.
    expect(estimateWaitSeconds({ ...waiting(null), now }, config)).toBe(60 + 50);
  });

  it('spreads polls with jitter, within bounds, sooner near the front', () => {
    expect(pollAfterMs(waiting(0), config, () => 0.5)).toBe(MIN_POLL_MS);
    expect(pollAfterMs(waiting(399), config, () => 0.5)).toBe(10_000);
    expect(pollAfterMs(waiting(399), config, () => 0)).toBe(7500);
    expect(pollAfterMs(waiting(399), config, () => 1)).toBe(12_500);
    expect(pollAfterMs(waiting(100_000), config, () => 0.5)).toBe(MAX_POLL_MS);
  });

  it('wakes the pre-queue just after opening, spread out; re-reads an admission before it ends', () => {
    const pre = { ...waiting(null), now: now + 50_000 };
    expect(pollAfterMs(pre, config, () => 0)).toBe(10_000);
    expect(pollAfterMs(pre, config, () => 1)).toBe(10_000 + OPENING_SPREAD_MS);
    expect(pollAfterMs({ ...pre, now }, config, () => 0.5)).toBe(MAX_POLL_MS);
    expect(pollAfterMs({ status: 'admitted', now, token: 't', expiresAt: now + 5000 }, config)).toBe(5000);
    expect(pollAfterMs({ status: 'closed', now }, config)).toBe(0);
  });
});
