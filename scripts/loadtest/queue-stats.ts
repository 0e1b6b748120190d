/**
 * The order and rate checks of the queue simulator (SPEC §10/§13.9), as pure functions so tests can show each
 * one passes a fair run and fails an unfair one.
 */

/** Kolmogorov–Smirnov distance of samples in [0, 1) from the uniform distribution. */
export function ksUniform(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const x = sorted[i]!;
    d = Math.max(d, (i + 1) / n - x, x - i / n);
  }
  return d;
}

/** Critical KS distance for n samples at significance α (asymptotic: sqrt(−ln(α/2)/2)/√n). */
export function ksCritical(n: number, alpha: number): number {
  return Math.sqrt(-Math.log(alpha / 2) / 2) / Math.sqrt(n);
}

/** Spearman rank correlation of two equally long lists of distinct ranks 0..n−1. */
export function spearman(a: number[], b: number[]): number {
  const n = a.length;
  if (n < 2) return 0;
  let d2 = 0;
  for (let i = 0; i < n; i++) d2 += (a[i]! - b[i]!) ** 2;
  return 1 - (6 * d2) / (n * (n * n - 1));
}

/** Ranks 0..n−1 of values, ties broken at random (under a fair shuffle, tied admissions are exchangeable). */
export function ranksWithRandomTies(values: number[], random = Math.random): number[] {
  const order = values.map((v, i) => ({ v, i, r: random() })).sort((x, y) => x.v - y.v || x.r - y.r);
  const ranks = new Array<number>(values.length);
  order.forEach((o, rank) => {
    ranks[o.i] = rank;
  });
  return ranks;
}

export interface PreQueueVerdict {
  n: number;
  /** Spearman ρ between arrival order and admission order (≈ 0 when shuffled). */
  rho: number;
  rhoLimit: number;
  /** KS distance of the admission ranks of the earliest fifth of arrivals from uniform. */
  ks: number;
  ksLimit: number;
  ok: boolean;
}

/**
 * Pre-queue fairness: arrival order must not predict admission order. `arrivalOrder[i]` and `admittedAt[i]` belong
 * to the same ticket. α = 1e-5 per test: a fair run fails by chance about once in 50,000 runs.
 */
export function checkPreQueue(arrivalOrder: number[], admittedAt: number[], alpha = 1e-5): PreQueueVerdict {
  const n = arrivalOrder.length;
  const arrival = ranksWithRandomTies(arrivalOrder);
  const admission = ranksWithRandomTies(admittedAt);
  const rho = spearman(arrival, admission);
  // Under the null ρ·√(n−1) is about standard normal; two-sided α = 1e-5 → 4.42.
  const rhoLimit = n > 2 ? 4.42 / Math.sqrt(n - 1) : 1;
  const early = arrival.map((r, i) => ({ r, i })).filter((x) => x.r < Math.max(1, Math.floor(n / 5)));
  const samples = early.map((x) => (admission[x.i]! + 0.5) / n);
  const ks = samples.length ? ksUniform(samples) : 0;
  const ksLimit = samples.length ? ksCritical(samples.length, alpha) : 1;
  return { n, rho, rhoLimit, ks, ksLimit, ok: n < 20 || (Math.abs(rho) <= rhoLimit && ks <= ksLimit) };
}

/**
 * FIFO after opening: when A's join answered before B's join was sent, A is admitted no later than B. Returns the
 * number of pairs (B counted once) that break it. Items: join sent/answered (client ms), admittedAt (server ms).
 */
export function fifoViolations(items: { sentAt: number; answeredAt: number; admittedAt: number }[]): number {
  const byAnswer = [...items].sort((a, b) => a.answeredAt - b.answeredAt);
  const bySend = [...items].sort((a, b) => a.sentAt - b.sentAt);
  let maxAdmitted = Number.NEGATIVE_INFINITY;
  let j = 0;
  let violations = 0;
  for (const b of bySend) {
    while (j < byAnswer.length && byAnswer[j]!.answeredAt < b.sentAt)
      maxAdmitted = Math.max(maxAdmitted, byAnswer[j++]!.admittedAt);
    if (maxAdmitted > b.admittedAt) violations++;
  }
  return violations;
}

/** Most events in any window [t, t + windowMs) of sorted times. */
export function maxInWindow(sortedTimes: number[], windowMs: number): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < sortedTimes.length; end++) {
    while (sortedTimes[end]! - sortedTimes[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** Largest number of intervals [from, to) open at once. */
export function maxOverlap(intervals: { from: number; to: number }[]): number {
  const edges: [number, number][] = [];
  for (const { from, to } of intervals) if (to > from) edges.push([from, 1], [to, -1]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let best = 0;
  for (const [, delta] of edges) {
    open += delta;
    best = Math.max(best, open);
  }
  return best;
}

export function percentile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
