import { adminReservationListSchema, type Stats, statsSchema } from '@seatmap/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newHoldId } from '../../server/src/holds/hold-id.ts';
import { backends, json, startTestApp, type TestApp } from '../support/app.ts';
import { createFixture, type Fixture } from '../support/fixtures.ts';
import { ADMIN_TOKEN, auth, book, hold, parseCsv, waitFor } from './support.ts';

describe.each(await backends())('box office stats and exports (%s)', (backend) => {
  let t: TestApp;
  let f: Fixture;
  const stats = async (): Promise<Stats> =>
    statsSchema.parse(json(await t.app.inject({ url: `/api/admin/schedules/${f.scheduleId}/stats`, headers: auth })));

  /** The same numbers straight from SQL: seats per grade, reserved seats and revenue of confirmed reservations. */
  async function sqlCounts() {
    const { rows } = await sql<{ grade: string; total: string; reserved: string; revenue: string }>`
      SELECT st.grade, count(*) AS total,
             count(*) FILTER (WHERE st.status = 'reserved') AS reserved,
             coalesce(sum(st.price) FILTER (WHERE st.status = 'reserved'), 0) AS revenue
      FROM seats st WHERE st.schedule_id = ${f.scheduleId} GROUP BY st.grade ORDER BY st.grade`.execute(
      t.app.context.db,
    );
    const confirmed = await t.app.context.db
      .selectFrom('reservations')
      .select(sql<string>`coalesce(sum(total_price), 0)`.as('revenue'))
      .where('schedule_id', '=', f.scheduleId)
      .where('status', '=', 'confirmed')
      .executeTakeFirstOrThrow();
    return { byGrade: rows, revenue: Number(confirmed.revenue) };
  }

  beforeAll(async () => {
    // The orphan-seat rule is another suite's subject; here seats are picked freely.
    t = await startTestApp(backend, { ADMIN_TOKEN, ORPHAN_RULE: 'off' }, { sweepIntervalMs: 50 });
    f = await createFixture(t.app.context.db, {
      sections: [
        { grade: 'R', price: 150_000, rows: 2, seatsPerRow: 10 },
        { grade: 'S', price: 120_000, rows: 2, seatsPerRow: 10 },
      ],
    });
  });
  afterAll(() => t?.close());

  it('starts with every seat available', async () => {
    expect(await stats()).toEqual({
      scheduleId: f.scheduleId,
      total: 40,
      available: 40,
      held: 0,
      reserved: 0,
      withheld: 0,
      revenue: 0,
      byGrade: [
        { grade: 'R', price: 150_000, total: 20, available: 20, held: 0, reserved: 0, withheld: 0, revenue: 0 },
        { grade: 'S', price: 120_000, total: 20, available: 20, held: 0, reserved: 0, withheld: 0, revenue: 0 },
      ],
    });
  });

  it('equals a SQL count after holds, bookings, cancellations and expiries', async () => {
    const { app } = t;
    const A = f.row('A');
    const B = f.row('B');
    const C = f.row('C');
    const D = f.row('D');
    // Bookings: 3 R seats + 2 S seats, then one of them (1 R + 1 S) cancelled.
    await book(app, await hold(app, f.scheduleId, [A[0]!, A[1]!]));
    const mixed = await book(app, await hold(app, f.scheduleId, [B[0]!, C[0]!]), {
      name: '이서준',
      phone: '010-9876-5432',
    });
    await book(app, await hold(app, f.scheduleId, [C[2]!, C[3]!]));
    const cancelled = await app.inject({
      method: 'POST',
      url: `/api/reservations/${mixed}/cancel`,
      payload: { phone: '010-9876-5432' },
    });
    expect(cancelled.statusCode).toBe(200);
    // Live holds: 2 R + 1 S; a released hold; a hold that expires.
    await hold(app, f.scheduleId, [A[5]!, A[6]!]);
    await hold(app, f.scheduleId, [D[8]!]);
    const released = await hold(app, f.scheduleId, [B[5]!]);
    expect((await app.inject({ method: 'DELETE', url: `/api/holds/${released}` })).statusCode).toBe(204);
    const expiring = await app.context.holdStore.create({
      holdId: newHoldId(f.scheduleId),
      scheduleId: f.scheduleId,
      seatIds: [D[0]!, D[1]!],
      ttlMs: 150,
    });
    expect(expiring.ok).toBe(true);
    expect((await stats()).held).toBe(5);
    // Past the expiry, once a sweep freed the hold.
    await waitFor(async () => (await stats()).held === 3, 20_000, 'the expired hold to be swept');

    const s = await stats();
    const counts = await sqlCounts();
    expect(s.held).toBe(3);
    expect(s.reserved).toBe(counts.byGrade.reduce((n, g) => n + Number(g.reserved), 0));
    expect(s.reserved).toBe(4);
    expect(s.revenue).toBe(counts.revenue);
    expect(s.revenue).toBe(2 * 150_000 + 2 * 120_000);
    for (const g of counts.byGrade) {
      const mine = s.byGrade.find((x) => x.grade === g.grade)!;
      expect(mine.total).toBe(Number(g.total));
      expect(mine.reserved).toBe(Number(g.reserved));
      expect(mine.revenue).toBe(Number(g.revenue));
    }
    expect(s.byGrade).toEqual([
      { grade: 'R', price: 150_000, total: 20, available: 16, held: 2, reserved: 2, withheld: 0, revenue: 300_000 },
      { grade: 'S', price: 120_000, total: 20, available: 17, held: 1, reserved: 2, withheld: 0, revenue: 240_000 },
    ]);
    // Every seat is in exactly one bucket.
    expect(s.available + s.held + s.reserved).toBe(s.total);
  });

  it('counts a seat reserved in the database but still held in the store once, as reserved', async () => {
    const seat = f.row('D')[5]!;
    await hold(t.app, f.scheduleId, [seat]);
    const before = await stats();
    // The window between the booking commit and consuming the hold, frozen: the database has it, the store not yet.
    await t.app.context.db
      .insertInto('reservations')
      .values({
        schedule_id: f.scheduleId,
        seat_ids: [seat],
        total_price: 120_000,
        customer_name: '창구',
        customer_phone: '01000000000',
        reservation_number: 'WINDOW2345',
      })
      .execute();
    await t.app.context.db.updateTable('seats').set({ status: 'reserved' }).where('id', '=', seat).execute();
    const after = await stats();
    expect(after.held).toBe(before.held - 1);
    expect(after.reserved).toBe(before.reserved + 1);
    expect(after.available).toBe(before.available);
  });

  it('exports the reservations as CSV that parses back to the JSON rows, Korean and tricky names intact', async () => {
    const names = ['홍길동, 주니어', '따옴표 "별명" 김', '줄바꿈\n이름', '=HYPERLINK("x")'];
    for (const [i, name] of names.entries()) {
      await book(t.app, await hold(t.app, f.scheduleId, [f.row('B')[6 + i]!]), {
        name,
        phone: '010-5555-0000',
        email: `guest${i}@example.com`,
      });
    }
    const listRes = await t.app.inject({ url: `/api/admin/schedules/${f.scheduleId}/reservations`, headers: auth });
    expect(listRes.statusCode).toBe(200);
    const list = adminReservationListSchema.parse(json(listRes));
    expect(list.reservations.length).toBe(8);
    expect(list.reservations.filter((r) => r.status === 'cancelled')).toHaveLength(1);
    // Newest first.
    const times = list.reservations.map((r) => Date.parse(r.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const res = await t.app.inject({
      url: `/api/admin/schedules/${f.scheduleId}/reservations`,
      headers: { ...auth, accept: 'text/csv' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="reservations-.*\.csv"$/);
    const bytes = res.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([
      'reservationNumber',
      'status',
      'customerName',
      'customerPhone',
      'customerEmail',
      'seats',
      'grades',
      'seatCount',
      'totalPrice',
      'createdAt',
      'cancelledAt',
      'areaTickets',
    ]);
    expect(rows).toEqual(
      list.reservations.map((r) => [
        r.reservationNumber,
        r.status,
        // A name a spreadsheet would run as a formula is defused with a leading apostrophe.
        r.customer.name.startsWith('=') ? `'${r.customer.name}` : r.customer.name,
        r.customer.phone,
        r.customer.email ?? '',
        r.seats.map((s) => s.seatNumber).join(' '),
        [...new Set(r.seats.map((s) => s.grade))].join(' '),
        String(r.seats.length),
        String(r.totalPrice),
        r.createdAt,
        r.cancelledAt ?? '',
        '',
      ]),
    );
    const byName = new Map(rows.map((r) => [r[2], r]));
    for (const name of names.slice(0, 3)) expect(byName.has(name), name).toBe(true);

    // Incremental: only what was booked after a given instant.
    const since = list.reservations[1]!.createdAt;
    const newer = json(
      await t.app.inject({
        url: `/api/admin/schedules/${f.scheduleId}/reservations?since=${encodeURIComponent(since)}`,
        headers: auth,
      }),
    );
    expect(newer.reservations.map((r: { reservationNumber: string }) => r.reservationNumber)).toEqual([
      list.reservations[0]!.reservationNumber,
    ]);
  });
  it('stays equal to the database and the hold store after concurrent holds, bookings and cancellations', async () => {
    const g = await createFixture(t.app.context.db, {
      concertId: f.concertId,
      sections: [
        { grade: 'R', price: 150_000, rows: 2, seatsPerRow: 10 },
        { grade: 'S', price: 120_000, rows: 2, seatsPerRow: 10 },
      ],
    });
    const seats = ['A', 'B', 'C', 'D'].flatMap((row) => g.row(row));
    // 40 buyers race for overlapping pairs; about half win.
    const attempts = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        t.app.inject({
          method: 'POST',
          url: `/api/schedules/${g.scheduleId}/holds`,
          payload: { seatIds: [seats[(i * 7) % 39]!, seats[((i * 7) % 39) + 1]!] },
        }),
      ),
    );
    const holds = attempts.filter((r) => r.statusCode === 201).map((r) => json(r).holdId as string);
    expect(holds.length).toBeGreaterThan(5);
    expect(attempts.every((r) => r.statusCode === 201 || r.statusCode === 409)).toBe(true);
    const numbers = await Promise.all(
      holds
        .slice(0, Math.ceil(holds.length / 2))
        .map((holdId, i) => book(t.app, holdId, { name: `구매자${i}`, phone: '010-3333-4444' })),
    );
    await Promise.all(
      numbers
        .slice(0, 2)
        .map((n) =>
          t.app.inject({ method: 'POST', url: `/api/reservations/${n}/cancel`, payload: { phone: '010-3333-4444' } }),
        ),
    );

    const s = statsSchema.parse(
      json(await t.app.inject({ url: `/api/admin/schedules/${g.scheduleId}/stats`, headers: auth })),
    );
    const rows = await t.app.context.db
      .selectFrom('seats')
      .select(['id', 'grade', 'price', 'status'])
      .where('schedule_id', '=', g.scheduleId)
      .execute();
    const held = new Set((await t.app.context.holdStore.states(g.scheduleId)).held);
    for (const grade of ['R', 'S']) {
      const mine = rows.filter((r) => r.grade === grade);
      const reserved = mine.filter((r) => r.status === 'reserved');
      const heldHere = mine.filter((r) => r.status !== 'reserved' && held.has(r.id));
      expect(s.byGrade.find((x) => x.grade === grade)).toEqual({
        grade,
        price: mine[0]!.price,
        total: mine.length,
        reserved: reserved.length,
        held: heldHere.length,
        available: mine.length - reserved.length - heldHere.length,
        withheld: 0,
        revenue: reserved.reduce((n, r) => n + r.price, 0),
      });
    }
    expect(s.reserved).toBe(2 * (numbers.length - 2));
    expect(s.held).toBe(2 * (holds.length - numbers.length));
  });
});
