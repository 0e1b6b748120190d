import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatQueueReport } from '../../scripts/loadtest/queue-report.ts';
import { runQueueLoadtest } from '../../scripts/loadtest/queue-run.ts';
import { startTestCluster, type TestCluster } from '../support/app.ts';
import { createFixture } from '../support/fixtures.ts';
import { realServices } from '../support/services.ts';
import { ADMIN_TOKEN } from './support.ts';

const real = await realServices();

/** The waiting-room simulator end to end, as `npm test` runs it: two nodes, a few hundred arrivals. */
describe.skipIf(!real)('loadtest --queue: two nodes, a few hundred arrivals', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await startTestCluster(2, { ADMIN_TOKEN, QUEUE_ADMIT_INTERVAL_MS: 50, QUEUE_CONFIG_REFRESH_MS: 200 });
  });
  afterAll(() => cluster?.close());

  it('pre-queue and later arrivals, reloads and leavers: every §13.9 check holds', async () => {
    const { concertId } = await createFixture(cluster.nodes[0]!.context.db);
    const result = await runQueueLoadtest({
      urls: cluster.urls,
      concertId,
      adminToken: ADMIN_TOKEN,
      arrivals: 300,
      preShare: 0.4,
      openInSeconds: 2,
      // The queue opens once every pre-queue join is answered: a busy machine delays the opening, never the count.
      openAfterPreQueue: true,
      arrivalSeconds: 2,
      admitPerMinute: 3000,
      maxActive: 30,
      holdMs: 300,
      reloadRate: 0.3,
      leaveRate: 0.1,
      timeoutSeconds: 150,
    });
    console.log(formatQueueReport(result));
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.customers.preQueue).toBeGreaterThan(100);
    // Everyone was served: admitted and seen, or left (nobody still waiting, no admission expired unseen).
    expect(result.customers.admitted + result.customers.left).toBe(300);
    expect(result.customers.unfinished + result.customers.missed).toBe(0);
    expect(result.customers.reloaded).toBeGreaterThan(0);
    expect(result.admission.largestActiveSampled).toBeGreaterThan(0);
    expect(result.admission.largestActiveSampled).toBeLessThanOrEqual(30);
    expect(result.waitsMs.later.p50).toBeGreaterThan(0);
  }, 240_000);
});
