import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createDatabase } from '../../server/src/db/connect.ts';
import { migrateToLatest } from '../../server/src/db/migrate.ts';
import { createFixture } from '../support/fixtures.ts';
import { startNode } from '../support/processes.ts';
import { createTestDatabase, realServices } from '../support/services.ts';
import { waitFor } from '../support/wait.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const real = await realServices();

describe.skipIf(!real)('graceful shutdown', () => {
  it('finishes in-flight requests on SIGTERM, then exits 0', async () => {
    // A prepared database keeps the child's start-up short (no demo seeding).
    const database = await createTestDatabase();
    const handle = await createDatabase({ DATABASE_URL: database.url, DATA_DIR: '.data' });
    await migrateToLatest(handle.db);
    const fixture = await createFixture(handle.db, {
      sections: [{ grade: 'R', price: 100_000, rows: 40, seatsPerRow: 50 }],
    });
    await handle.close();
    // The OS picks the port (PORT=0); the node says which once it listens.
    const node = await startNode(root, {
      DATABASE_URL: database.url,
      REDIS_URL: '',
      SEED_DEMO: 'false',
      // Long enough that the draining state is seen on a busy machine (the test waits for it, not for the time).
      SHUTDOWN_DELAY_MS: '5000',
    });
    const { child } = node;
    const base = node.url;
    try {
      await waitFor(
        () =>
          fetch(`${base}/health/ready`).then(
            (r) => r.ok,
            () => false,
          ),
        60_000,
        'the node to be ready',
      ).catch((err: Error) => {
        throw new Error(`${err.message}; the node's output:\n${node.output()}`);
      });
      const hall = { id: fixture.scheduleId, totalSeats: 2000 };
      await fetch(`${base}/api/schedules/${hall.id}/seats`); // warm the layout cache

      // Thirty seat maps in flight when the signal arrives.
      const inflight = Array.from({ length: 30 }, () =>
        fetch(`${base}/api/schedules/${hall.id}/seats`).then(async (r) => ({ status: r.status, body: await r.json() })),
      );
      child.kill('SIGTERM');
      // While draining the node says it is not ready, so a load balancer stops sending it traffic.
      let ready = { status: 'ok' };
      await waitFor(
        async () => {
          ready = await (await fetch(`${base}/health/ready`)).json();
          return ready.status === 'draining';
        },
        5000,
        'the draining state',
      );
      expect(ready.status).toBe('draining');
      const results = await Promise.all(inflight);
      for (const r of results) {
        expect(r.status).toBe(200);
        expect(r.body.seats).toHaveLength(hall.totalSeats);
      }
      const [code] = await once(child, 'exit'); // bounded by the test's own timeout
      expect(code, node.output()).toBe(0);
      await expect(fetch(`${base}/health/live`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await database.drop();
    }
  }, 240_000);
});
