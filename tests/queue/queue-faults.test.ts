import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startTestApp, type TestApp } from '../support/app.ts';
import { createFixture, type Fixture } from '../support/fixtures.ts';
import { hasRedisServer, type RedisServer, startRedis, stopRedis } from '../support/processes.ts';
import { realServices } from '../support/services.ts';
import { ADMIN_TOKEN, admitted, joinQueue, putQueue } from './support.ts';

const real = (await realServices()) && hasRedisServer;

/** SPEC §10 "fails closed": on a private Redis this test may stop and restart empty. */
describe.skipIf(!real)('waiting room fails closed', () => {
  let t: TestApp;
  let f: Fixture;
  let open: Fixture;
  let redis: RedisServer;
  let port: number;

  beforeAll(async () => {
    redis = await startRedis();
    port = redis.port;
    t = await startTestApp('real', {
      ADMIN_TOKEN,
      REDIS_URL: `redis://127.0.0.1:${port}`,
      QUEUE_ADMIT_INTERVAL_MS: 20,
    });
    f = await createFixture(t.app.context.db);
    open = await createFixture(t.app.context.db, { title: 'no queue' });
  });
  afterAll(async () => {
    await t?.close();
    if (redis) await stopRedis(redis);
  });

  const settings = () => ({
    enabled: true,
    opensAt: new Date(Date.now() - 1000).toISOString(),
    admitPerMinute: 6000,
    maxActive: 100,
  });
  const hold = (fixture: Fixture, seat: string, token?: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/schedules/${fixture.scheduleId}/holds`,
      payload: { seatIds: [fixture.seats[seat]!] },
      headers: token ? { 'x-admission-token': token } : {},
    });
  const metric = async (name: string) => {
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    const line = text.split('\n').find((l) => l.startsWith(`${name}{concert_id="${f.concertId}"}`));
    return line ? Number(line.split(' ').at(-1)) : undefined;
  };

  it('answers 503 while Redis is down; after Redis comes back empty, stays closed until the box office re-arms it', async () => {
    await putQueue(t.app, f.concertId, settings());
    const ticket = (await joinQueue(t.app, f.concertId)).ticket;
    const token = await admitted(t.app, ticket);
    expect((await hold(f, 'A01', token)).statusCode).toBe(201);
    expect(await metric('seatmap_queue_active_admissions')).toBe(1);

    await stopRedis(redis);
    const poll = await t.app.inject({ method: 'GET', url: `/api/queue/${ticket}` });
    expect(poll.statusCode).toBe(503);
    expect(json(poll).error.code).toBe('SERVICE_UNAVAILABLE');
    expect(poll.headers['retry-after']).toBeDefined();
    const join = await t.app.inject({ method: 'POST', url: `/api/concerts/${f.concertId}/queue`, payload: {} });
    expect(join.statusCode).toBe(503);
    expect((await hold(f, 'A02', token)).statusCode).toBe(503);
    // The settings are in Postgres: without a token the queued concert still refuses (never opens the gates).
    expect((await hold(f, 'A03')).statusCode).toBe(403);

    redis = await startRedis(port);
    // Wait until this node has reconnected (the hold store answers again).
    const reconnected = () =>
      t.app.context.holdStore.ping().then(
        () => true,
        () => false,
      );
    for (let i = 0; i < 100 && !(await reconnected()); i++) await sleep(100);
    // Redis is back but empty: the queue's state is gone, so queue calls and its holds stay 503 …
    expect((await t.app.inject({ method: 'GET', url: `/api/queue/${ticket}` })).statusCode).toBe(503);
    expect((await hold(f, 'A04', token)).statusCode).toBe(503);
    expect((await hold(f, 'A05')).statusCode).toBe(403);
    expect(await metric('seatmap_queue_state_missing')).toBe(1);
    // … while concerts without a queue sell as usual.
    expect((await hold(open, 'A01')).statusCode).toBe(201);

    // The box office puts the same settings again: a fresh queue, old tickets and tokens are unknown.
    await putQueue(t.app, f.concertId, settings());
    expect(json(await t.app.inject({ method: 'GET', url: `/api/queue/${ticket}` })).error.code).toBe(
      'TICKET_NOT_FOUND',
    );
    expect(json(await hold(f, 'A06', token)).error.code).toBe('ADMISSION_REQUIRED');
    const again = await admitted(t.app, (await joinQueue(t.app, f.concertId)).ticket);
    expect((await hold(f, 'A07', again)).statusCode).toBe(201);
    expect(await metric('seatmap_queue_state_missing')).toBe(0);
  });
});
