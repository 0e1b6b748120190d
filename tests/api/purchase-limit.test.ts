import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, json, startNodes } from '../support/app.ts';
import { createFixture, type Fixture } from '../support/fixtures.ts';

const ADMIN_TOKEN = 'purchase-limit-admin-token';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

/**
 * SPEC §11 purchase limit: at most MAX_TICKETS_PER_PERSON seats per performance across the confirmed reservations of
 * one normalised phone (and email), enforced by the booking statement itself. On real Postgres the suite runs on two
 * nodes (two apps, two pools, one database and Redis), taking turns, so nothing is counted per process.
 */
describe.each(await backends())('purchase limit (%s)', (backend) => {
  let nodes: FastifyInstance[];
  let close: () => Promise<void>;
  let turn = 0;
  const node = () => nodes[turn++ % nodes.length]!;
  const config = { MAX_TICKETS_PER_PERSON: 4, ORPHAN_RULE: 'off' as const, ADMIN_TOKEN };

  beforeAll(async () => {
    ({ nodes, close } = await startNodes(backend, config));
  });
  afterAll(() => close?.());

  const db = () => nodes[0]!.context.db;
  const fixture = () => createFixture(db(), { sections: [{ grade: 'R', price: 10_000, rows: 5, seatsPerRow: 10 }] });

  async function hold(f: Fixture, numbers: string[], via = node()): Promise<string> {
    const res = await via.inject({
      method: 'POST',
      url: `/api/schedules/${f.scheduleId}/holds`,
      payload: { seatIds: numbers.map((n) => f.seats[n]!) },
    });
    expect(res.statusCode, res.body).toBe(201);
    return json(res).holdId;
  }
  const book = (holdId: string, customer: { phone: string; email?: string }, via = node()) =>
    via.inject({
      method: 'POST',
      url: '/api/reservations',
      payload: { holdId, customer: { name: '한도', ...customer } },
    });
  const outcome = (res: Awaited<ReturnType<typeof book>>) => `${res.statusCode} ${json(res).error?.code ?? ''}`.trim();

  async function confirmedSeats(scheduleId: string, phoneDigits: string) {
    const { rows } = await sql<{ seats: number }>`
      SELECT coalesce(sum(cardinality(seat_ids)), 0)::int AS seats FROM reservations
      WHERE schedule_id = ${scheduleId} AND customer_phone = ${phoneDigits} AND status = 'confirmed'`.execute(db());
    return rows[0]!.seats;
  }
  async function tally(scheduleId: string, person: string) {
    const row = await db()
      .selectFrom('purchase_tallies')
      .select('seats')
      .where('schedule_id', '=', scheduleId)
      .where('person', '=', person)
      .executeTakeFirst();
    return row?.seats ?? 0;
  }

  it('counts every confirmed seat of one phone, however written; past the limit → 409 PURCHASE_LIMIT, hold kept', async () => {
    const f = await fixture();
    expect(outcome(await book(await hold(f, ['A01', 'A02']), { phone: '010-2222-3333' }))).toBe('201');
    expect(outcome(await book(await hold(f, ['A03']), { phone: '01022223333' }))).toBe('201');

    const holdId = await hold(f, ['A05', 'A06']);
    const refused = await book(holdId, { phone: '010 2222 3333' });
    expect(refused.statusCode).toBe(409);
    expect(json(refused).error).toMatchObject({ code: 'PURCHASE_LIMIT', details: { limit: 4, alreadyBooked: 3 } });
    // Nothing of the refused booking stays: seats, reservations and the tally are as before; the hold lives on.
    expect(await confirmedSeats(f.scheduleId, '01022223333')).toBe(3);
    expect(await tally(f.scheduleId, 'phone:01022223333')).toBe(3);
    expect((await node().inject({ method: 'GET', url: `/api/holds/${holdId}` })).statusCode).toBe(200);
    const seat = await db().selectFrom('seats').select('status').where('id', '=', f.seats.A05!).executeTakeFirst();
    expect(seat?.status).toBe('available');

    // With one seat fewer the same hold books: exactly the limit.
    const patched = await node().inject({
      method: 'PATCH',
      url: `/api/holds/${holdId}`,
      payload: { remove: [f.seats.A06] },
    });
    expect(patched.statusCode).toBe(200);
    expect(outcome(await book(holdId, { phone: '010-2222-3333' }))).toBe('201');
    expect(await confirmedSeats(f.scheduleId, '01022223333')).toBe(4);
    // Another performance is another count.
    const other = await fixture();
    expect(outcome(await book(await hold(other, ['A01', 'A02']), { phone: '010-2222-3333' }))).toBe('201');
  });

  it('counts one email across phones (any letter case)', async () => {
    const f = await fixture();
    const email = 'Fan.Club@Example.com';
    expect(outcome(await book(await hold(f, ['B01', 'B02', 'B03']), { phone: '010-3000-0001', email }))).toBe('201');
    const refused = await book(await hold(f, ['B05', 'B06']), {
      phone: '010-3000-0002',
      email: 'fan.club@example.com',
    });
    expect(json(refused).error).toMatchObject({ code: 'PURCHASE_LIMIT', details: { limit: 4, alreadyBooked: 3 } });
    // The other phone alone has booked nothing.
    expect(outcome(await book(await hold(f, ['B07', 'B08']), { phone: '010-3000-0002' }))).toBe('201');
  });

  it('a cancellation gives its seats back to the count', async () => {
    const f = await fixture();
    const phone = '010-4000-0001';
    const first = json(await book(await hold(f, ['C01', 'C02']), { phone, email: 'c@example.com' }));
    expect(outcome(await book(await hold(f, ['C03', 'C04']), { phone }))).toBe('201');
    const over = await hold(f, ['C06']);
    expect(json(await book(over, { phone })).error.code).toBe('PURCHASE_LIMIT');

    const cancelled = await node().inject({
      method: 'POST',
      url: `/api/reservations/${first.reservationNumber}/cancel`,
      payload: { phone },
    });
    expect(cancelled.statusCode).toBe(200);
    expect(await tally(f.scheduleId, 'phone:01040000001')).toBe(2);
    expect(await tally(f.scheduleId, 'email:c@example.com')).toBe(0);
    expect(outcome(await book(over, { phone }))).toBe('201');
    expect(outcome(await book(await hold(f, ['C08']), { phone }))).toBe('201');
    expect(json(await book(await hold(f, ['C10']), { phone })).error.details).toEqual({ limit: 4, alreadyBooked: 4 });
    expect(await confirmedSeats(f.scheduleId, '01040000001')).toBe(4);
  });

  it('the box office sets a limit per concert (null = the default, 0 = none)', async () => {
    const f = await fixture();
    const url = `/api/admin/concerts/${f.concertId}/purchase-limit`;
    const put = (payload: object, headers: Record<string, string> = admin) =>
      node().inject({ method: 'PUT', url, headers, payload });

    expect(json(await node().inject({ method: 'GET', url, headers: admin }))).toEqual({
      concertId: f.concertId,
      maxTicketsPerPerson: null,
      defaultMaxTicketsPerPerson: 4,
      effectiveMaxTicketsPerPerson: 4,
    });
    expect((await put({ maxTicketsPerPerson: 2 }, {})).statusCode).toBe(401);
    expect((await put({ maxTicketsPerPerson: -1 })).statusCode).toBe(400);
    expect((await put({ maxTicketsPerPerson: 2, extra: true })).statusCode).toBe(400);
    const missing = await node().inject({
      method: 'PUT',
      url: '/api/admin/concerts/00000000-0000-4000-8000-000000000000/purchase-limit',
      headers: admin,
      payload: { maxTicketsPerPerson: 2 },
    });
    expect(json(missing).error.code).toBe('CONCERT_NOT_FOUND');

    const two = await put({ maxTicketsPerPerson: 2 });
    expect(two.statusCode).toBe(200);
    expect(json(two)).toMatchObject({ maxTicketsPerPerson: 2, effectiveMaxTicketsPerPerson: 2 });
    const phone = '010-5000-0001';
    const threeSeats = await hold(f, ['D01', 'D02', 'D03']);
    // Every node reads the concert's limit in the booking statement: no cache to wait for.
    expect(json(await book(threeSeats, { phone })).error).toMatchObject({
      code: 'PURCHASE_LIMIT',
      details: { limit: 2, alreadyBooked: 0 },
    });
    expect(json(await put({ maxTicketsPerPerson: null }))).toMatchObject({ effectiveMaxTicketsPerPerson: 4 });
    expect(outcome(await book(threeSeats, { phone }))).toBe('201');
    expect((await put({ maxTicketsPerPerson: 0 })).statusCode).toBe(200);
    expect(outcome(await book(await hold(f, ['D05', 'D06', 'D07', 'D08']), { phone }))).toBe('201');
    expect(await confirmedSeats(f.scheduleId, '01050000001')).toBe(7);
    expect(json(await node().inject({ method: 'GET', url, headers: admin })).maxTicketsPerPerson).toBe(0);
  });

  it('20 concurrent bookings for one phone never confirm more than the limit', async () => {
    const f = await fixture();
    const numbers = Object.keys(f.seats).sort().slice(0, 20);
    const holds = await Promise.all(numbers.map((n) => hold(f, [n])));
    const phones = ['010-6000-0001', '01060000001', '010 6000 0001'];
    const results = await Promise.all(holds.map((holdId, i) => book(holdId, { phone: phones[i % phones.length]! })));
    const outcomes = results.map(outcome);
    expect(outcomes.filter((o) => o === '201')).toHaveLength(4);
    expect(outcomes.filter((o) => o === '409 PURCHASE_LIMIT')).toHaveLength(16);
    for (const r of results.filter((r) => r.statusCode === 409)) {
      expect(json(r).error.details).toEqual({ limit: 4, alreadyBooked: 4 });
    }
    expect(await confirmedSeats(f.scheduleId, '01060000001')).toBe(4);
    expect(await tally(f.scheduleId, 'phone:01060000001')).toBe(4);
    const reserved = await db()
      .selectFrom('seats')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('schedule_id', '=', f.scheduleId)
      .where('status', '=', 'reserved')
      .executeTakeFirstOrThrow();
    expect(Number(reserved.n)).toBe(4);
  });

  it('20 concurrent two-seat bookings by one email under different phones confirm at most 4 seats', async () => {
    const f = await fixture();
    const numbers = Object.keys(f.seats).sort().slice(0, 40);
    const holds = await Promise.all(
      Array.from({ length: 20 }, (_, i) => hold(f, [numbers[2 * i]!, numbers[2 * i + 1]!])),
    );
    const results = await Promise.all(
      holds.map((holdId, i) =>
        book(holdId, {
          phone: `010-7000-${String(i).padStart(4, '0')}`,
          email: i % 2 ? 'ONE@example.com' : 'one@example.com',
        }),
      ),
    );
    const outcomes = results.map(outcome);
    expect(outcomes.filter((o) => o === '201')).toHaveLength(2);
    expect(outcomes.filter((o) => o === '409 PURCHASE_LIMIT')).toHaveLength(18);
    expect(await tally(f.scheduleId, 'email:one@example.com')).toBe(4);
  });
});
