import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { QueueConfigs } from './queue-configs.ts';
import type { QueueStateStats, QueueStore } from './queue-store.ts';

/**
 * Waiting-room metrics on the app's registry. Queue length, active admissions and the last minute's admissions
 * are read from the store at scrape time (they are the whole cluster's, the same on every node); a queue whose
 * state is missing shows `seatmap_queue_state_missing 1`. Admissions made and polls served count per node.
 */
export function registerQueueMetrics(registry: Registry, deps: { store: QueueStore; configs: QueueConfigs }) {
  const labelNames = ['concert_id'] as const;
  let snapshot: Promise<Map<string, QueueStateStats | null>> | null = null;

  // One store read per queue per scrape, shared by every gauge below.
  function read(): Promise<Map<string, QueueStateStats | null>> {
    snapshot ??= (async () => {
      const out = new Map<string, QueueStateStats | null>();
      for (const config of deps.configs.all()) {
        if (!config.enabled) continue;
        out.set(config.concertId, await deps.store.stats(config.concertId).catch(() => null));
      }
      return out;
    })().finally(() => setImmediate(() => (snapshot = null)));
    return snapshot;
  }

  // Every worker of a box reads the same cluster-wide numbers: under `--workers N` the box reports them once
  // (cluster-metrics.ts aggregates; the default would add them up N times).
  const gauge = (name: string, help: string, pick: (s: QueueStateStats) => number) =>
    new Gauge({
      name,
      help,
      labelNames,
      aggregator: 'max',
      registers: [registry],
      async collect() {
        this.reset();
        for (const [concertId, stats] of await read()) if (stats) this.set({ concert_id: concertId }, pick(stats));
      },
    });
  gauge('seatmap_queue_waiting', 'Tickets waiting in the queue (pre-queue included)', (s) => s.waiting);
  gauge('seatmap_queue_active_admissions', 'Admissions active now (at most maxActive)', (s) => s.active);
  gauge(
    'seatmap_queue_admitted_last_minute',
    'Admissions in the last 60 s (at most admitPerMinute)',
    (s) => s.admittedLastMinute,
  );
  gauge('seatmap_queue_admitted', 'Tickets admitted since the queue was armed', (s) => s.admittedTotal);
  gauge('seatmap_queue_expired', 'Admissions that ran out of time', (s) => s.expiredTotal);
  new Gauge({
    name: 'seatmap_queue_state_missing',
    help: '1 when an enabled queue has no readable state (store down, or its data lost: it fails closed until the box office PUTs it again)',
    labelNames,
    aggregator: 'max',
    registers: [registry],
    async collect() {
      this.reset();
      for (const [concertId, stats] of await read()) this.set({ concert_id: concertId }, stats ? 0 : 1);
    },
  });

  return {
    admissions: new Counter({
      name: 'seatmap_queue_admissions_total',
      help: 'Tickets admitted by this node',
      registers: [registry],
    }),
    pollDuration: new Histogram({
      name: 'seatmap_queue_poll_duration_seconds',
      help: 'Time to answer one queue poll or join, store call included',
      labelNames: ['kind'] as const,
      buckets: [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
  };
}

export type QueueMetrics = ReturnType<typeof registerQueueMetrics>;
