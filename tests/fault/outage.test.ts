import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/src/app.ts';
import { testConfig } from '../../server/src/config.ts';
import { json } from '../support/app.ts';
import { createFixture, customer, type Fixture } from '../support/fixtures.ts';
import { hasRedisServer, type RedisServer, startRedis, startTcpProxy, stopRedis } from '../support/processes.ts';
import { createTestDatabase, realServices, testRedisPrefix } from '../support/services.ts';
import { waitFor } from '../support/wait.ts';

const real = await realServices();

/** SPEC §7.6: Redis or Postgres down → 503 fast, no crash, recovery without a restart. */
describe.skipIf(!real || !hasRedisServer)('outages', () => {
  let redisPort: number;
  let redisServer: RedisServer;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let dropDatabase: () => Promise<void>;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let f: Fixture;

  beforeAll(async () => {
    redisServer = await startRedis();
    redisPort = redisServer.port;
    const database = await createTestDatabase();
    dropDatabase = database.drop;
    const target = new URL(database.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    target.port = String(proxy.port);
    app = await buildApp(
      testConfig({
        DATABASE_URL: target.toString(),
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        REDIS_KEY_PREFIX: testRedisPrefix(),
        RATE_LIMIT_PER_MINUTE: 0,
      }),
      { clientDir: null },
    );
    f = await createFixture(app.context.db);
  });
  afterAll(async () => {
    await app?.close();
    await proxy?.up().catch(() => {});
    await proxy?.down();
    if (redisServer) await stopRedis(redisServer);
    await dropDatabase?.();
  });

  const timed = async (request: InjectOptions) => {
    const started = performance.now();
    const res = await app.inject(request);
    return { res, ms: performance.now() - started };
  };
  const holdA = (seatIds: string[]) => ({
    method: 'POST' as const,
    url: `/api/schedules/${f.scheduleId}/holds`,
    payload: { seatIds },
  });

  it('answers 503 within 2 s while Redis is down and recovers when it returns', async () => {
    const booked = await app.inject({
      method: 'POST',
      url: '/api/reservations',
      payload: { holdId: json(await app.inject(holdA([f.seats.A01, f.seats.A02]))).holdId, customer },
    });
    expect(booked.statusCode).toBe(201);

    const seatMap = async () =>
      json(await app.inject({ method: 'GET', url: `/api/schedules/${f.scheduleId}/seats` })) as {
        version: number;
        seats: { id: string; status: string }[];
      };
    const before = await seatMap();
    const versions: number[] = [];
    await app.context.bus.subscribe(f.scheduleId, (e) => versions.push(e.version));
    await stopRedis(redisServer);
    for (const request of <InjectOptions[]>[
      holdA([f.seats.B01]),
      { method: 'GET' as const, url: `/api/schedules/${f.scheduleId}/seats` },
      { method: 'GET' as const, url: '/health/ready' },
    ]) {
      const { res, ms } = await timed(request);
      expect(res.statusCode, String(request.url)).toBe(503);
      expect(ms).toBeLessThan(2000);
      if (request.url !== '/health/ready') expect(json(res).error.code).toBe('SERVICE_UNAVAILABLE');
    }
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);

    // Redis comes back empty (no persistence): holds work again and reserved seats stay refused.
    redisServer = await startRedis(redisPort);
    let recovered = 0;
    await waitFor(
      async () => {
        recovered = (await app.inject(holdA([f.seats.B01, f.seats.B02]))).statusCode;
        return recovered === 201;
      },
      20_000,
      'holds after Redis returned',
    );
    expect(recovered).toBe(201);
    // Versions never go backwards across the data loss, so watchers and the cached map cannot stay stale.
    expect(Math.min(...versions)).toBeGreaterThan(before.version);
    const after = await seatMap();
    expect(after.version).toBeGreaterThan(before.version);
    expect(after.seats.find((s) => s.id === f.seats.B01)?.status).toBe('held');
    // The reserved markers are rebuilt from the database, so the booked seats show (and stay) reserved.
    let a01 = '';
    await waitFor(
      async () => {
        const map = json(await app.inject({ method: 'GET', url: `/api/schedules/${f.scheduleId}/seats` }));
        a01 = map.seats.find((s: { id: string }) => s.id === f.seats.A01).status;
        return a01 === 'reserved';
      },
      20_000,
      'the reserved markers rebuilt',
    );
    expect(a01).toBe('reserved');
    const refused = await app.inject(holdA([f.seats.A01, f.seats.A02]));
    expect(refused.statusCode).toBe(409);
    expect(json(refused).error.details.unavailableSeatIds).toEqual([f.seats.A01, f.seats.A02]);
  });

  it('answers 503 within 2 s while Postgres is unreachable and recovers when it returns', async () => {
    const holdId = json(await app.inject(holdA([f.seats.C01, f.seats.C02]))).holdId;
    await proxy.down();
    for (const request of <InjectOptions[]>[
      { method: 'POST' as const, url: '/api/reservations', payload: { holdId, customer } },
      { method: 'GET' as const, url: '/api/concerts' },
      {
        method: 'POST' as const,
        url: '/api/reservations/lookup',
        payload: { phone: customer.phone, name: customer.name },
      },
    ]) {
      const { res, ms } = await timed(request);
      expect(res.statusCode, String(request.url)).toBe(503);
      expect(json(res).error.code).toBe('SERVICE_UNAVAILABLE');
      expect(ms).toBeLessThan(2500);
    }
    const ready = await timed({ method: 'GET', url: '/health/ready' });
    expect(ready.res.statusCode).toBe(503);
    expect(json(ready.res).checks.database).toBe('down');
    // Nothing was answered 2xx and nothing was written while the database was away.
    await proxy.up();
    let status = 0;
    await waitFor(
      async () => {
        const res = await app.inject({ method: 'POST', url: '/api/reservations', payload: { holdId, customer } });
        status = res.statusCode;
        return status === 201;
      },
      20_000,
      'the booking after Postgres returned',
    );
    expect(status).toBe(201);
    const rows = await app.context.db.selectFrom('reservations').select('seat_ids').execute();
    expect(rows.filter((r) => r.seat_ids.includes(f.seats.C01!))).toHaveLength(1);
  });
});
