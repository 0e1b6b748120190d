import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/src/db/database.ts';
import { DEFAULT_RETENTION, runRetention } from '../../server/src/db/retention.ts';
import { type Backend, backends, startTestApp, type TestApp } from '../support/app.ts';
import { createFixture, customer } from '../support/fixtures.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DAY = 86_400_000;
const small = [{ grade: 'R', price: 10_000, rows: 1, seatsPerRow: 5 }];

async function reservation(
  db: Db,
  scheduleId: string,
  seatIds: string[],
  fields: { number: string; cancelledDaysAgo?: number; createdHoursAgo?: number; key?: string },
) {
  const createdAt = new Date(Date.now() - (fields.createdHoursAgo ?? 1) * 3_600_000);
  await db
    .insertInto('reservations')
    .values({
      schedule_id: scheduleId,
      seat_ids: seatIds,
      total_price: 10_000 * seatIds.length,
      customer_name: customer.name,
      customer_phone: '01012345678',
      customer_email: null,
      reservation_number: fields.number,
      idempotency_key: fields.key ?? null,
      request_hash: fields.key ? 'h'.repeat(64) : null,
      status: fields.cancelledDaysAgo === undefined ? 'confirmed' : 'cancelled',
      cancelled_at: fields.cancelledDaysAgo === undefined ? null : new Date(Date.now() - fields.cancelledDaysAgo * DAY),
      created_at: createdAt,
    })
    .execute();
}

const countOf = async (db: Db, query: ReturnType<typeof sql<{ n: string | number }>>) =>
  Number((await query.execute(db)).rows[0]!.n);

describe.each(await backends())('retention (%s)', (backend: Backend) => {
  let t: TestApp;
  let db: Db;
  let past: Awaited<ReturnType<typeof createFixture>>;
  let recent: Awaited<ReturnType<typeof createFixture>>;
  let live: Awaited<ReturnType<typeof createFixture>>;
  const options = (dryRun: boolean) => ({ ...DEFAULT_RETENTION, now: new Date(), dryRun, batchSize: 2 });

  beforeAll(async () => {
    t = await startTestApp(backend);
    db = t.app.context.db;
    past = await createFixture(db, { title: 'past', startsInMinutes: -40 * 24 * 60, sections: small });
    recent = await createFixture(db, { title: 'recent', startsInMinutes: -10 * 24 * 60, sections: small });
    live = await createFixture(db, { title: 'live', sections: small });
    const seatsOf = (f: typeof past) => f.row('A');
    // The past performance: one confirmed and one cancelled booking (with an old idempotency key).
    await reservation(db, past.scheduleId, seatsOf(past).slice(0, 2), { number: 'PAST0001', key: 'past-key' });
    await reservation(db, past.scheduleId, seatsOf(past).slice(2, 3), { number: 'PAST0002', cancelledDaysAgo: 35 });
    await reservation(db, recent.scheduleId, seatsOf(recent).slice(0, 1), { number: 'RECENT01' });
    // The live performance: an old and a fresh cancellation, an old and a fresh idempotency key.
    await reservation(db, live.scheduleId, seatsOf(live).slice(0, 1), { number: 'LIVE0001', cancelledDaysAgo: 31 });
    await reservation(db, live.scheduleId, seatsOf(live).slice(1, 2), { number: 'LIVE0002', cancelledDaysAgo: 2 });
    await reservation(db, live.scheduleId, seatsOf(live).slice(2, 3), {
      number: 'LIVE0003',
      key: 'old-key',
      createdHoursAgo: 30,
    });
    await reservation(db, live.scheduleId, seatsOf(live).slice(3, 4), {
      number: 'LIVE0004',
      key: 'new-key',
      createdHoursAgo: 2,
    });
  });
  afterAll(() => t?.close());

  const expected = {
    schedules: 1,
    seats: 5,
    reservations: 2,
    cancelledReservations: 1,
    idempotencyKeys: 1,
  };

  it('a dry run counts what would move and changes nothing', async () => {
    const before = await countOf(db, sql`SELECT count(*) AS n FROM reservations`);
    expect(await runRetention(db, options(true))).toEqual({ dryRun: true, ...expected });
    expect(await countOf(db, sql`SELECT count(*) AS n FROM reservations`)).toBe(before);
    expect(await countOf(db, sql`SELECT count(*) AS n FROM schedules_archive`)).toBe(0);
  });

  it('archives the past performance with its seats and reservations, old cancellations, and clears old keys', async () => {
    expect(await runRetention(db, options(false))).toEqual({ dryRun: false, ...expected });

    const live_ = await sql<{ reservation_number: string; idempotency_key: string | null }>`
      SELECT reservation_number, idempotency_key FROM reservations ORDER BY reservation_number`.execute(db);
    expect(live_.rows).toEqual([
      { reservation_number: 'LIVE0002', idempotency_key: null },
      { reservation_number: 'LIVE0003', idempotency_key: null },
      { reservation_number: 'LIVE0004', idempotency_key: 'new-key' },
      { reservation_number: 'RECENT01', idempotency_key: null },
    ]);
    const archived = await sql<{ reservation_number: string; status: string; idempotency_key: string | null }>`
      SELECT reservation_number, status, idempotency_key FROM reservations_archive
      WHERE archived_at IS NOT NULL ORDER BY reservation_number`.execute(db);
    expect(archived.rows).toEqual([
      { reservation_number: 'LIVE0001', status: 'cancelled', idempotency_key: null },
      { reservation_number: 'PAST0001', status: 'confirmed', idempotency_key: 'past-key' },
      { reservation_number: 'PAST0002', status: 'cancelled', idempotency_key: null },
    ]);
    expect(await countOf(db, sql`SELECT count(*) AS n FROM schedules WHERE id = ${past.scheduleId}`)).toBe(0);
    expect(await countOf(db, sql`SELECT count(*) AS n FROM schedules_archive WHERE id = ${past.scheduleId}`)).toBe(1);
    expect(await countOf(db, sql`SELECT count(*) AS n FROM seats WHERE schedule_id = ${past.scheduleId}`)).toBe(0);
    expect(await countOf(db, sql`SELECT count(*) AS n FROM seats_archive WHERE schedule_id = ${past.scheduleId}`)).toBe(
      5,
    );
    // Everything of the recent and the live performance stays; the past performance's concert stays too.
    for (const f of [recent, live])
      expect(await countOf(db, sql`SELECT count(*) AS n FROM seats WHERE schedule_id = ${f.scheduleId}`)).toBe(5);
    expect(await countOf(db, sql`SELECT count(*) AS n FROM concerts WHERE id = ${past.concertId}`)).toBe(1);
    // The API still serves the live performance.
    expect((await t.app.inject({ url: `/api/schedules/${live.scheduleId}/seats` })).statusCode).toBe(200);
  });

  it('a second run has nothing left to do', async () => {
    expect(await runRetention(db, options(false))).toEqual({
      dryRun: false,
      schedules: 0,
      seats: 0,
      reservations: 0,
      cancelledReservations: 0,
      idempotencyKeys: 0,
    });
  });

  it.runIf(backend === 'real')('skips rows a live transaction holds instead of waiting on them', async () => {
    await reservation(db, live.scheduleId, live.row('A').slice(4, 5), { number: 'LOCKED01', cancelledDaysAgo: 40 });
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked = () => {};
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = db.transaction().execute(async (trx) => {
      await sql`SELECT id FROM reservations WHERE reservation_number = 'LOCKED01' FOR UPDATE`.execute(trx);
      locked();
      await held;
    });
    await isLocked;
    try {
      const report = await runRetention(db, options(false));
      expect(report.cancelledReservations).toBe(0);
    } finally {
      release();
      await holder;
    }
    expect((await runRetention(db, options(false))).cancelledReservations).toBe(1);
  });

  it.runIf(backend === 'real')('npm run retention reports its counts (JSON, dry run)', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/retention.ts', '--dry-run', '--json'],
      { cwd: root, env: { ...process.env, DATABASE_URL: t.config.DATABASE_URL, LOG_LEVEL: 'silent' } },
    );
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(report).toMatchObject({ dryRun: true, schedules: 0, cancelledReservations: 0 });
    expect(report.seconds).toBeGreaterThanOrEqual(0);
  });
});
