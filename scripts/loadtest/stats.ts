/** Percentiles of a latency sample kept in a bounded reservoir (the first RESERVOIR values, then random). */
const RESERVOIR = 100_000;

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export class LatencyRecorder {
  private readonly sample: number[] = [];
  count = 0;
  private sum = 0;
  private max = 0;

  record(ms: number) {
    this.count++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
    if (this.sample.length < RESERVOIR) this.sample.push(ms);
    else {
      const slot = Math.floor(Math.random() * this.count);
      if (slot < RESERVOIR) this.sample[slot] = ms;
    }
  }

  summary(): LatencySummary {
    const sorted = [...this.sample].sort((a, b) => a - b);
    const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0);
    const round = (v: number) => Math.round(v * 10) / 10;
    return {
      count: this.count,
      mean: round(this.count ? this.sum / this.count : 0),
      p50: round(at(0.5)),
      p95: round(at(0.95)),
      p99: round(at(0.99)),
      max: round(this.max),
    };
  }
}

/** Counts by key, e.g. HTTP statuses or error codes. */
export class Tally {
  readonly counts: Record<string, number> = {};
  add(key: string, n = 1) {
    this.counts[key] = (this.counts[key] ?? 0) + n;
  }
  get(key: string) {
    return this.counts[key] ?? 0;
  }
}
