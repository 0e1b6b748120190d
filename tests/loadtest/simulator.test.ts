import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDatabase } from '../../scripts/loadtest/check.ts';
import { runLoadtest } from '../../scripts/loadtest/run.ts';
import { buildApp } from '../../server/src/app.ts';
import { testConfig } from '../../server/src/config.ts';
import { createFixture } from '../support/fixtures.ts';
import { createTestDatabase, realServices, testRedisPrefix, testRedisUrl } from '../support/services.ts';

const real = await realServices();

/**
 * The buyer simulator end to end, as CI runs it: two nodes on one Postgres database and one Redis prefix, a few
 * hundred buyers racing for fewer seats than they want, watchers on both nodes, holds abandoned by DELETE and by
 * expiry, and the §7.1/§7.3 verdict from the simulator's own final check.
 */
describe.skipIf(!real)('loadtest: two nodes, a few hundred buyers', () => {
  const nodes: FastifyInstance[] = [];
  const urls: string[] = [];
  let database: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = testConfig({
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl,
      REDIS_KEY_PREFIX: testRedisPrefix(),
      RATE_LIMIT_PER_MINUTE: 0,
      HOLD_TTL_SECONDS: 2,
      BROADCAST_WINDOW_MS: 20,
    });
    // One after the other: the first node migrates the fresh database.
    for (let i = 0; i < 2; i++) {
      const app = await buildApp(config, { clientDir: null, sweepIntervalMs: 100 });
      await app.listen({ port: 0, host: '127.0.0.1' });
      nodes.push(app);
      urls.push(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
    }
  });

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.close()));
    await database?.drop();
  });

  async function confirmedReservations(scheduleId: string): Promise<number> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM reservations WHERE schedule_id = $1 AND status = 'confirmed'`,
        [scheduleId],
      );
      return rows[0]!.n;
    } finally {
      await client.end();
    }
  }

  it('manual picks, Socket.IO watchers, abandoned holds deleted and expired: every invariant holds', async () => {
    // 300 buyers × 2 seats on 240 seats: the hall sells out under contention.
    const fixture = await createFixture(nodes[0]!.context.db, {
      sections: [{ grade: 'R', price: 100_000, rows: 12, seatsPerRow: 20 }],
    });
    const result = await runLoadtest({
      urls,
      scheduleId: fixture.scheduleId,
      buyers: 300,
      watchers: 8,
      watcherKind: 'socketio',
      seatsPerBuyer: 2,
      mode: 'manual',
      thinkMs: 20,
      abandonRate: 0.2,
      abandonMode: 'mixed',
      databaseUrl: database.url,
      // Bounds against a hang only: each phase ends on its condition (all buyers done, holds expired, maps agree).
      checkWaitSeconds: 120,
      timeoutSeconds: 600,
      requestTimeoutMs: 120_000,
    });

    expect(result.checks.map((c) => [c.name, c.ok, c.detail]).filter(([, ok]) => ok !== true)).toEqual([]);
    expect(result.checks.length).toBe(5); // client side, two database checks, one snapshot per node
    expect(result.ok).toBe(true);
    expect(result.buyers.booked).toBeGreaterThan(30);
    expect(result.buyers.abandonedDeleted + result.buyers.abandonedExpiring).toBeGreaterThan(0);
    expect(result.buyers.errors).toEqual({});
    expect(await confirmedReservations(fixture.scheduleId)).toBe(result.buyers.booked);
    expect(result.fanout.watchers.connected).toBe(8);
    expect(result.fanout.watchers.gaps).toBe(0);
    expect(result.fanout.lagMs.count).toBeGreaterThan(0);
    expect(result.latencyMs.hold.count).toBeGreaterThanOrEqual(result.buyers.holds);
  }, 600_000);

  it('best available with plain WebSocket watchers: every invariant holds', async () => {
    const fixture = await createFixture(nodes[0]!.context.db, {
      sections: [{ grade: 'R', price: 100_000, rows: 10, seatsPerRow: 20 }],
    });
    const result = await runLoadtest({
      urls,
      scheduleId: fixture.scheduleId,
      buyers: 150,
      watchers: 6,
      watcherKind: 'ws',
      seatsPerBuyer: 2,
      mode: 'best',
      thinkMs: 10,
      abandonRate: 0.1,
      abandonMode: 'delete',
      databaseUrl: database.url,
      checkWaitSeconds: 120,
      timeoutSeconds: 600,
      requestTimeoutMs: 120_000,
    });
    expect(result.checks.filter((c) => c.ok !== true)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.buyers.booked).toBeGreaterThan(10);
    expect(await confirmedReservations(fixture.scheduleId)).toBe(result.buyers.booked);
    expect(result.fanout.watchers.connected).toBe(6);
    expect(result.fanout.watchers.gaps).toBe(0);
    expect(result.fanout.lagMs.count).toBeGreaterThan(0);
  }, 600_000);

  it('the final check reports a seat marked reserved without a reservation', async () => {
    const fixture = await createFixture(nodes[0]!.context.db, {
      sections: [{ grade: 'R', price: 100_000, rows: 1, seatsPerRow: 4 }],
    });
    await nodes[0]!.context.db
      .updateTable('seats')
      .set({ status: 'reserved' })
      .where('id', '=', fixture.seats.A01!)
      .execute();
    const { results } = await checkDatabase(database.url, fixture.scheduleId);
    const broken = results.find((r) => r.name.includes('⇔'));
    expect(broken?.ok).toBe(false);
    expect(broken?.detail).toContain(fixture.seats.A01);
    expect(results.find((r) => r.name.includes('two confirmed'))?.ok).toBe(true);
  });
});
