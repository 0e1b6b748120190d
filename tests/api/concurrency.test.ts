import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendsWithCluster, json, startTestApp, type TestApp } from '../support/app.ts';
import { createFixture, customer } from '../support/fixtures.ts';
import { waitFor } from '../support/wait.ts';

describe.each(await backendsWithCluster())('concurrency (%s)', (backend) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(backend, { MAX_SEATS_PER_HOLD: 4 });
  });
  afterAll(() => t?.close());

  it('200 parallel holds on the same 2 seats → exactly one 201, the rest 409', async () => {
    const f = await createFixture(t.app.context.db);
    const seatIds = [f.seats.A01, f.seats.A02];
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        t.app.inject({ method: 'POST', url: `/api/schedules/${f.scheduleId}/holds`, payload: { seatIds } }),
      ),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(199);
    for (const r of results.filter((r) => r.statusCode === 409)) {
      expect(json(r).error.code).toBe('SEAT_UNAVAILABLE');
    }
  });

  it('25 parallel best-available requests in a rush all get distinct adjacent pairs', async () => {
    const f = await createFixture(t.app.context.db, {
      sections: [{ grade: 'R', price: 1000, rows: 10, seatsPerRow: 10 }],
    });
    const results = await Promise.all(
      Array.from({ length: 25 }, () =>
        t.app.inject({
          method: 'POST',
          url: `/api/schedules/${f.scheduleId}/holds`,
          payload: { bestAvailable: { count: 2 } },
        }),
      ),
    );
    expect(results.map((r) => `${r.statusCode} ${json(r).error?.code ?? ''}`)).toEqual(Array(25).fill('201 '));
    const seats = results.flatMap((r) => json(r).seatIds as string[]);
    expect(new Set(seats).size).toBe(50);
  });

  it('100 parallel bookings of distinct holds → all confirmed, no seat sold twice, reserved ⇔ confirmed', async () => {
    const f = await createFixture(t.app.context.db, {
      sections: [{ grade: 'R', price: 100_000, rows: 20, seatsPerRow: 10 }],
    });
    const numbers = Object.keys(f.seats).sort();
    const holds = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const res = await t.app.inject({
          method: 'POST',
          url: `/api/schedules/${f.scheduleId}/holds`,
          payload: { seatIds: [f.seats[numbers[2 * i]!], f.seats[numbers[2 * i + 1]!]] },
        });
        expect(res.statusCode).toBe(201);
        return json(res).holdId as string;
      }),
    );
    // 100 bookings at once queue for the pool: on a busy machine some wait past its 2 s and get 503 ("try again
    // shortly"). A client tries again with the same Idempotency-Key, so each booking still happens once.
    const bookings = await Promise.all(
      holds.map(async (holdId, i) => {
        const key = randomUUID();
        for (let attempt = 1; ; attempt++) {
          const res = await t.app.inject({
            method: 'POST',
            url: '/api/reservations',
            headers: { 'idempotency-key': key },
            payload: { holdId, customer: { ...customer, name: `buyer ${i}` } },
          });
          if (res.statusCode !== 503 || attempt === 10) return res;
        }
      }),
    );
    expect(bookings.map((b) => b.statusCode)).toEqual(Array(100).fill(201));

    const db = t.app.context.db;
    const doubleSold = await sql<{ seat_id: string }>`
      SELECT seat_id FROM reservations r, unnest(r.seat_ids) AS seat_id
      WHERE r.status = 'confirmed' GROUP BY seat_id HAVING count(*) > 1`.execute(db);
    expect(doubleSold.rows).toEqual([]);
    const mismatch = await sql<{ id: string }>`
      SELECT s.id FROM seats s
      LEFT JOIN (SELECT DISTINCT unnest(seat_ids) AS seat_id FROM reservations WHERE status = 'confirmed') c
        ON c.seat_id = s.id
      WHERE s.schedule_id = ${f.scheduleId} AND ((s.status = 'reserved') <> (c.seat_id IS NOT NULL))`.execute(db);
    expect(mismatch.rows).toEqual([]);
    const reserved = await db
      .selectFrom('seats')
      .select(sql<number>`count(*)`.as('n'))
      .where('schedule_id', '=', f.scheduleId)
      .where('status', '=', 'reserved')
      .executeTakeFirstOrThrow();
    expect(Number(reserved.n)).toBe(200);
  });

  it('never books seats of a hold that expired and was re-held by someone else', async () => {
    const short = await startTestApp(backend, { HOLD_TTL_SECONDS: 1 }, { sweepIntervalMs: 100 });
    try {
      const f = await createFixture(short.app.context.db);
      const post = (payload: object) =>
        short.app.inject({ method: 'POST', url: `/api/schedules/${f.scheduleId}/holds`, payload });
      const stale = json(await post({ seatIds: [f.seats.A01, f.seats.A02] })).holdId;
      // Once the stale hold expired and a sweep freed its seats, someone else holds them.
      let fresh: Awaited<ReturnType<typeof post>> | undefined;
      await waitFor(
        async () => {
          fresh = await post({ seatIds: [f.seats.A01, f.seats.A02] });
          return fresh.statusCode !== 409;
        },
        20_000,
        'the stale hold to expire',
      );
      if (!fresh) throw new Error('unreachable');
      expect(fresh.statusCode).toBe(201);
      const late = await short.app.inject({
        method: 'POST',
        url: '/api/reservations',
        payload: { holdId: stale, customer },
      });
      expect(late.statusCode).toBe(404);
      const rows = await short.app.context.db.selectFrom('reservations').selectAll().execute();
      expect(rows).toEqual([]);
      const ok = await short.app.inject({
        method: 'POST',
        url: '/api/reservations',
        payload: { holdId: json(fresh).holdId, customer },
      });
      expect(ok.statusCode).toBe(201);
    } finally {
      await short.close();
    }
  });
});
