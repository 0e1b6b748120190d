import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { ClientToServerEvents, SeatsChanged, ServerToClientEvents } from '@seatmap/shared';
import { sql } from 'kysely';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/src/app.ts';
import { testConfig } from '../../server/src/config.ts';
import { withQueryKind } from '../../server/src/metrics/query-kind.ts';
import { createFixture, customer } from '../support/fixtures.ts';
import { createTestDatabase, isCI, realServices } from '../support/services.ts';

/** The value of one sample line, e.g. `seatmap_holds_total 1`, or undefined when absent. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `) || l.startsWith(`${name}${labels}{`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** Every metric name the exposition declares (`# TYPE name type`). */
function exposedNames(text: string): Set<string> {
  return new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
}

type App = Awaited<ReturnType<typeof buildApp>>;
const scrapeOf = async (app: App) => {
  const res = await app.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toContain('text/plain');
  return res.body;
};

/** Polls /metrics until `done` holds for it (no fixed sleeps; the test timeout bounds it). */
async function scrapeUntil(app: App, done: (text: string) => boolean): Promise<string> {
  for (;;) {
    const text = await scrapeOf(app);
    if (done(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const promtool = spawnSync('promtool', ['--version']).status === 0;

describe('/metrics', () => {
  let app: App;
  let scheduleId: string;
  let concertId: string;
  let seats: string[];

  beforeAll(async () => {
    app = await buildApp(testConfig({ DATABASE_URL: 'memory://', RATE_LIMIT_PER_MINUTE: 0 }), { clientDir: null });
    const fixture = await createFixture(app.context.db);
    scheduleId = fixture.scheduleId;
    concertId = fixture.concertId;
    seats = fixture.row('A');
  });
  afterAll(() => app?.close());

  const scrape = () => scrapeOf(app);

  it('exposes HTTP, store, database, pool, fan-out, live and event-loop metrics', async () => {
    const names = exposedNames(await scrape());
    for (const name of [
      'seatmap_http_request_duration_seconds',
      'seatmap_holds_total',
      'seatmap_bookings_total',
      'seatmap_cancellations_total',
      'seatmap_conflicts_total',
      'seatmap_hold_store_duration_seconds',
      'seatmap_hold_expired_seats_total',
      'seatmap_hold_sweep_last_success_timestamp_seconds',
      'seatmap_db_query_duration_seconds',
      'seatmap_db_query_errors_total',
      'seatmap_db_pool_max_connections',
      'seatmap_db_pool_connections',
      'seatmap_db_pool_idle_connections',
      'seatmap_db_pool_waiting_requests',
      'seatmap_db_pool_acquire_duration_seconds',
      'seatmap_live_events_received_total',
      'seatmap_live_broadcasts_total',
      'seatmap_live_broadcast_changes',
      'seatmap_live_fanout_lag_seconds',
      'seatmap_live_subscriptions',
      'seatmap_live_refused_connections_total',
      'seatmap_socketio_connections',
      'seatmap_socketio_rooms',
      'seatmap_ws_feed_connections',
      'seatmap_nodejs_eventloop_lag_seconds',
    ]) {
      expect(names, name).toContain(name);
    }
    expect(sample(await scrape(), 'seatmap_socketio_connections')).toBe(0);
  });

  it.runIf(promtool || isCI)('passes promtool check metrics (Prometheus naming rules)', async () => {
    // A scrape with every labelled series present: a hold, a booking, a conflict, a failed statement.
    await withQueryKind('admin', () => sql`select 1/0`.execute(app.context.db)).catch(() => {});
    const result = spawnSync('promtool', ['check', 'metrics'], { input: await scrape(), encoding: 'utf8' });
    expect(result.error, 'promtool must be installed (apt-get install prometheus)').toBeUndefined();
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
    expect(result.status).toBe(0);
  });

  it('counts a hold, a conflict, a booking (once, replays not counted) and a cancellation, by statement family', async () => {
    const before = await scrape();
    const hold = await app.inject({
      method: 'POST',
      url: `/api/schedules/${scheduleId}/holds`,
      payload: { seatIds: [seats[0], seats[1]] },
    });
    expect(hold.statusCode).toBe(201);
    const clash = await app.inject({
      method: 'POST',
      url: `/api/schedules/${scheduleId}/holds`,
      payload: { seatIds: [seats[1], seats[2]] },
    });
    expect(clash.statusCode).toBe(409);
    const book = () =>
      app.inject({
        method: 'POST',
        url: '/api/reservations',
        headers: { 'idempotency-key': `metrics-${scheduleId}` },
        payload: { holdId: hold.json().holdId, customer },
      });
    const booking = await book();
    expect(booking.statusCode).toBe(201);
    const replay = await book();
    expect(replay.statusCode).toBe(201);
    expect(replay.json().reservationNumber).toBe(booking.json().reservationNumber);
    const cancel = await app.inject({
      method: 'POST',
      url: `/api/reservations/${booking.json().reservationNumber}/cancel`,
      payload: { phone: customer.phone },
    });
    expect(cancel.statusCode).toBe(200);
    expect((await app.inject({ url: `/api/concerts/${concertId}` })).statusCode).toBe(200);

    const after = await scrape();
    const delta = (name: string, labels = '') =>
      (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    expect(delta('seatmap_holds_total')).toBe(1);
    expect(delta('seatmap_bookings_total')).toBe(1);
    expect(delta('seatmap_cancellations_total')).toBe(1);
    expect(delta('seatmap_conflicts_total', '{step="hold"}')).toBe(1);
    expect(
      delta(
        'seatmap_http_request_duration_seconds_count',
        '{route="/api/schedules/:scheduleId/holds",method="POST",status_code="201"}',
      ),
    ).toBe(1);
    expect(delta('seatmap_hold_store_duration_seconds_count', '{method="consume",outcome="ok"}')).toBe(1);
    // Statements count under the family of the request that ran them, never under the SQL node type.
    for (const kind of ['booking', 'cancel', 'browse'])
      expect(delta('seatmap_db_query_duration_seconds_count', `{kind="${kind}"}`), kind).toBeGreaterThanOrEqual(1);
    expect(after).not.toMatch(/seatmap_db_query_duration_seconds_count\{kind="(raw|select|insert|update)"\}/);
  });

  it('a hold with the orphan rule on is one hold-store call (the check runs inside create)', async () => {
    const calls = (text: string, method: string) =>
      text
        .split('\n')
        .filter((l) => l.startsWith(`seatmap_hold_store_duration_seconds_count{method="${method}"`))
        .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    const before = await scrape();
    const hold = await app.inject({
      method: 'POST',
      url: `/api/schedules/${scheduleId}/holds`,
      payload: { seatIds: [seats[8], seats[9]] },
    });
    expect(hold.statusCode).toBe(201);
    const after = await scrape();
    expect(calls(after, 'create') - calls(before, 'create')).toBe(1);
    for (const method of ['unavailable', 'states', 'get']) expect(calls(after, method) - calls(before, method)).toBe(0);
    await app.inject({ method: 'DELETE', url: `/api/holds/${hold.json().holdId}` });
  });

  it('counts failed statements by family and reason', async () => {
    const before = sample(await scrape(), 'seatmap_db_query_errors_total', '{kind="lookup",reason="invalid"}') ?? 0;
    await expect(withQueryKind('lookup', () => sql`select 1/0`.execute(app.context.db))).rejects.toThrow();
    const after = sample(await scrape(), 'seatmap_db_query_errors_total', '{kind="lookup",reason="invalid"}');
    expect(after).toBe(before + 1);
  });

  it('counts broadcasts, their changes and the fan-out lag for a watcher', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(`http://127.0.0.1:${port}`, {
      transports: ['websocket'],
    });
    try {
      const ack = await new Promise<unknown>((resolve) => socket.emit('schedule:join', scheduleId, resolve));
      expect(ack).toMatchObject({ ok: true });
      const before = await scrape();
      const changed = new Promise<SeatsChanged>((resolve) => socket.once('seats:changed', resolve));
      const hold = await app.inject({
        method: 'POST',
        url: `/api/schedules/${scheduleId}/holds`,
        payload: { seatIds: [seats[5], seats[6]] },
      });
      expect(hold.statusCode).toBe(201);
      expect((await changed).changes).toHaveLength(2);
      const delta = (text: string, name: string) => (sample(text, name) ?? 0) - (sample(before, name) ?? 0);
      const after = await scrapeUntil(app, (text) => delta(text, 'seatmap_live_broadcasts_total') >= 1);
      expect(delta(after, 'seatmap_live_events_received_total')).toBeGreaterThanOrEqual(1);
      expect(delta(after, 'seatmap_live_broadcast_changes_sum')).toBeGreaterThanOrEqual(2);
      expect(delta(after, 'seatmap_live_fanout_lag_seconds_count')).toBeGreaterThanOrEqual(1);
      expect(sample(after, 'seatmap_live_subscriptions')).toBe(1);
      expect(sample(after, 'seatmap_socketio_connections')).toBe(1);
    } finally {
      socket.disconnect();
    }
  });
});

describe('/metrics: expired holds', () => {
  let app: App;
  let fixture: Awaited<ReturnType<typeof createFixture>>;
  // Built in the hook (its longer timeout): a second app on a busy machine takes a while.
  beforeAll(async () => {
    app = await buildApp(testConfig({ DATABASE_URL: 'memory://', RATE_LIMIT_PER_MINUTE: 0, HOLD_TTL_SECONDS: 1 }), {
      clientDir: null,
      sweepIntervalMs: 50,
    });
    fixture = await createFixture(app.context.db);
  });
  afterAll(() => app?.close());

  it('counts the seats the sweeper frees and when it last swept', async () => {
    const [a, b] = fixture.row('B');
    const hold = await app.inject({
      method: 'POST',
      url: `/api/schedules/${fixture.scheduleId}/holds`,
      payload: { seatIds: [a, b] },
    });
    expect(hold.statusCode).toBe(201);
    const text = await scrapeUntil(app, (t) => (sample(t, 'seatmap_hold_expired_seats_total') ?? 0) >= 2);
    expect(sample(text, 'seatmap_hold_expired_seats_total')).toBe(2);
    const swept = sample(text, 'seatmap_hold_sweep_last_success_timestamp_seconds')!;
    expect(Math.abs(swept - Date.now() / 1000)).toBeLessThan(60);
  });
});

describe.runIf(await realServices())('/metrics: Postgres pool', () => {
  let app: App;
  let drop = async () => {};
  afterAll(async () => {
    await app?.close();
    await drop();
  });

  beforeAll(async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    app = await buildApp(testConfig({ DATABASE_URL: database.url, DATABASE_POOL_SIZE: 3, RATE_LIMIT_PER_MINUTE: 0 }), {
      clientDir: null,
    });
  });

  it('exposes the pool size, open, idle and waiting connections and the checkout time', async () => {
    // Six statements at once on three connections: some checkouts wait.
    await Promise.all(
      Array.from({ length: 6 }, () => withQueryKind('admin', () => sql`select pg_sleep(0.05)`.execute(app.context.db))),
    );
    const text = await scrapeOf(app);
    expect(sample(text, 'seatmap_db_pool_max_connections')).toBe(3);
    expect(sample(text, 'seatmap_db_pool_connections')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'seatmap_db_pool_connections')).toBeLessThanOrEqual(3);
    expect(sample(text, 'seatmap_db_pool_idle_connections')).toBe(sample(text, 'seatmap_db_pool_connections'));
    expect(sample(text, 'seatmap_db_pool_waiting_requests')).toBe(0);
    expect(sample(text, 'seatmap_db_pool_acquire_duration_seconds_count', '{outcome="ok"}')).toBeGreaterThanOrEqual(6);
    expect(sample(text, 'seatmap_db_query_duration_seconds_count', '{kind="admin"}')).toBe(6);
  });
});
