import { describe, expect, it } from 'vitest';
import {
  checkPreQueue,
  fifoViolations,
  ksCritical,
  ksUniform,
  maxInWindow,
  maxOverlap,
} from '../../scripts/loadtest/queue-stats.ts';

function shuffled(n: number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

describe('queue simulator checks', () => {
  const n = 5000;
  const arrival = Array.from({ length: n }, (_, i) => i);

  it('passes a shuffled pre-queue and fails one served in arrival order, reversed, or by batches', () => {
    expect(checkPreQueue(arrival, shuffled(n)).ok).toBe(true);
    // Batched admissions with equal timestamps (100 per step) of a shuffled order still pass.
    expect(
      checkPreQueue(
        arrival,
        shuffled(n).map((r) => Math.floor(r / 100)),
      ).ok,
    ).toBe(true);
    const fifo = checkPreQueue(arrival, arrival);
    expect(fifo.ok).toBe(false);
    expect(fifo.rho).toBeCloseTo(1, 5);
    expect(
      checkPreQueue(
        arrival,
        arrival.map((i) => -i),
      ).ok,
    ).toBe(false);
    // Early arrivals favoured only a little (first fifth drawn from the front half): still caught by KS.
    const favoured = arrival.map((i) => (i < n / 5 ? Math.random() * (n / 2) : Math.random() * n));
    expect(checkPreQueue(arrival, favoured).ok).toBe(false);
  });

  it('KS distance is small for uniform samples and large otherwise', () => {
    const uniform = Array.from({ length: 2000 }, () => Math.random());
    expect(ksUniform(uniform)).toBeLessThan(ksCritical(2000, 1e-5));
    expect(ksUniform(uniform.map((u) => u * u))).toBeGreaterThan(ksCritical(2000, 1e-5));
  });

  it('counts FIFO violations only between joins that did not overlap', () => {
    const ok = [
      { sentAt: 0, answeredAt: 10, admittedAt: 100 },
      { sentAt: 5, answeredAt: 12, admittedAt: 90 }, // overlapped the first: either order is fine
      { sentAt: 20, answeredAt: 30, admittedAt: 100 },
    ];
    expect(fifoViolations(ok)).toBe(0);
    expect(fifoViolations([...ok, { sentAt: 40, answeredAt: 50, admittedAt: 95 }])).toBe(1);
  });

  it('finds the busiest window and the largest overlap', () => {
    expect(maxInWindow([0, 10, 20, 1000, 1001, 1002, 1003], 100)).toBe(4);
    expect(maxInWindow([0, 100, 200], 100)).toBe(1);
    expect(
      maxOverlap([
        { from: 0, to: 10 },
        { from: 5, to: 15 },
        { from: 10, to: 20 },
      ]),
    ).toBe(2);
  });
});
