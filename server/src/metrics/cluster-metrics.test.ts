import { AggregatorRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerQueueMetrics } from '../queue/metrics.ts';
import type { QueueConfigs } from '../queue/queue-configs.ts';
import type { QueueStore } from '../queue/queue-store.ts';
import { createMetrics } from './registry.ts';

/** One worker's metrics as the primary receives them (cluster-metrics.ts), with a queue that has 7 waiting. */
async function worker(holds: number, lastSweep: number) {
  const metrics = createMetrics();
  const store = {
    stats: async () => ({ waiting: 7, active: 2, admittedTotal: 30, admittedLastMinute: 5, expiredTotal: 1 }),
  } as unknown as QueueStore;
  const configs = { all: () => [{ concertId: 'c1', enabled: true }] } as unknown as QueueConfigs;
  registerQueueMetrics(metrics.registry, { store, configs });
  metrics.holds.inc(holds);
  metrics.lastSweep.set(lastSweep);
  return metrics.registry.getMetricsAsJSON();
}

const value = (text: string, line: string) =>
  Number(
    text
      .split('\n')
      .find((l) => l.startsWith(`${line} `))
      ?.split(' ')
      .at(-1),
  );

describe('the box of several workers, as /metrics aggregates it', () => {
  it("adds up the workers' own counts and reports cluster-wide numbers once", async () => {
    const box = await AggregatorRegistry.aggregate([await worker(3, 100), await worker(4, 160)]).metrics();
    expect(value(box, 'seatmap_holds_total')).toBe(7);
    // Every worker reads the same queue from Redis: the box has 7 waiting, not 14.
    expect(value(box, 'seatmap_queue_waiting{concert_id="c1"}')).toBe(7);
    expect(value(box, 'seatmap_queue_state_missing{concert_id="c1"}')).toBe(0);
    // Any worker's sweep frees every hold: the box last swept at the latest of them.
    expect(value(box, 'seatmap_hold_sweep_last_success_timestamp_seconds')).toBe(160);
  });
});
