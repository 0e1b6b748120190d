import { lookupResultSchema, reservationSchema } from '@seatmap/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, json, startTestApp, type TestApp } from '../support/app.ts';
import { createFixture, customer, type Fixture } from '../support/fixtures.ts';

describe.each(await backends())('reservation API (%s)', (backend) => {
  let t: TestApp;
  let f: Fixture;

  const hold = async (seatIds: string[], scheduleId = f.scheduleId) => {
    const res = await t.app.inject({ method: 'POST', url: `/api/schedules/${scheduleId}/holds`, payload: { seatIds } });
    expect(res.statusCode).toBe(201);
    return json(res).holdId as string;
  };
  const reserve = (payload: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/reservations', payload, headers });
  const cancel = (number: string, payload: object) =>
    t.app.inject({ method: 'POST', url: `/api/reservations/${number}/cancel`, payload });
  const seatStatus = async (ids: string[]) =>
    (await t.app.context.db.selectFrom('seats').select(['id', 'status']).where('id', 'in', ids).execute()).map(
      (r) => r.status,
    );

  beforeAll(async () => {
    t = await startTestApp(backend);
    f = await createFixture(t.app.context.db);
  });
  afterAll(() => t?.close());

  it('books a hold: 201 with prices from the database, seats reserved, hold consumed', async () => {
    const holdId = await hold([f.seats.A01, f.seats.A02]);
    const res = await reserve({ holdId, customer, status: 'cancelled', totalPrice: 1 });
    // Unknown fields are ignored, never applied.
    expect(res.statusCode).toBe(201);
    const body = reservationSchema.parse(json(res));
    expect(body.reservationNumber).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
    expect(body.totalPrice).toBe(300_000);
    expect(body.seats.map((s) => s.seatNumber)).toEqual(['A01', 'A02']);
    expect(body.customer).toEqual({ name: '김민지', phone: '010-1234-5678', email: 'minji@example.com' });
    expect(body.schedule.id).toBe(f.scheduleId);
    expect(await seatStatus([f.seats.A01, f.seats.A02])).toEqual(['reserved', 'reserved']);
    const row = await t.app.context.db
      .selectFrom('reservations')
      .selectAll()
      .where('reservation_number', '=', body.reservationNumber)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'confirmed', customer_phone: '01012345678', total_price: 300_000 });
    expect((await t.app.inject({ method: 'GET', url: `/api/holds/${holdId}` })).statusCode).toBe(404);
    const map = json(await t.app.inject({ method: 'GET', url: `/api/schedules/${f.scheduleId}/seats` }));
    expect(map.seats.find((s: { id: string }) => s.id === f.seats.A01).status).toBe('reserved');
    // The same hold cannot book twice.
    const again = await reserve({ holdId, customer });
    expect(again.statusCode).toBe(404);
    expect(json(again).error.code).toBe('HOLD_NOT_FOUND');
  });

  it('lets the database refuse a seat it has reserved even when the hold store missed it', async () => {
    // As after a Redis data loss: the seat is reserved in the database, but the store lets it be held.
    await t.app.context.db.updateTable('seats').set({ status: 'reserved' }).where('id', '=', f.seats.E10).execute();
    const holdId = await hold([f.seats.E09, f.seats.E10]);
    const res = await reserve({ holdId, customer });
    expect(res.statusCode).toBe(409);
    expect(json(res).error).toMatchObject({ code: 'SEAT_UNAVAILABLE', details: { unavailableSeatIds: [f.seats.E10] } });
    expect(await seatStatus([f.seats.E09])).toEqual(['available']);
    const rows = await t.app.context.db.selectFrom('reservations').select('id').where('hold_id', '=', holdId).execute();
    expect(rows).toEqual([]);
    // The store learns it, and the stale hold is gone.
    const map = json(await t.app.inject({ method: 'GET', url: `/api/schedules/${f.scheduleId}/seats` }));
    const status = (id: string) => map.seats.find((s: { id: string }) => s.id === id).status;
    expect([status(f.seats.E09), status(f.seats.E10)]).toEqual(['available', 'reserved']);
  });

  it('replays the same answer for the same Idempotency-Key and refuses another body under it', async () => {
    const holdId = await hold([f.seats.A05]);
    const headers = { 'idempotency-key': `key-${backend}-1` };
    const first = await reserve({ holdId, customer }, headers);
    expect(first.statusCode).toBe(201);
    const second = await reserve({ holdId, customer }, headers);
    expect(second.statusCode).toBe(201);
    expect(json(second)).toEqual(json(first));
    const other = await reserve({ holdId, customer: { ...customer, name: '다른 사람' } }, headers);
    expect(other.statusCode).toBe(422);
    expect(json(other).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const count = await t.app.context.db
      .selectFrom('reservations')
      .select(sql<number>`count(*)`.as('n'))
      .where('idempotency_key', '=', headers['idempotency-key'])
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('answers 404 for an unknown hold and 400 for a bad customer', async () => {
    const unknown = await reserve({ holdId: 'no-such-hold-000000000000000000', customer });
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown).error.code).toBe('HOLD_NOT_FOUND');
    const holdId = await hold([f.seats.F10]);
    const badPhone = await reserve({ holdId, customer: { ...customer, phone: '02-123-4567' } });
    expect(badPhone.statusCode).toBe(400);
    expect(json(badPhone).error.details.issues[0].path).toContain('phone');
    const noName = await reserve({ holdId, customer: { ...customer, name: '   ' } });
    expect(noName.statusCode).toBe(400);
    const badEmail = await reserve({ holdId, customer: { ...customer, email: 'not-an-email' } });
    expect(badEmail.statusCode).toBe(400);
    // The hold is still there after the refusals.
    expect((await t.app.inject({ method: 'GET', url: `/api/holds/${holdId}` })).statusCode).toBe(200);
  });

  it('looks up by two factors; a wrong factor and a missing record answer the same', async () => {
    const holdId = await hold([f.seats.B01, f.seats.B02]);
    const booked = json(await reserve({ holdId, customer: { name: '이서준', phone: '01098765432' } }));
    const lookup = (payload: object) => t.app.inject({ method: 'POST', url: '/api/reservations/lookup', payload });

    const byNumber = await lookup({ phone: '010-9876-5432', reservationNumber: booked.reservationNumber });
    expect(byNumber.statusCode).toBe(200);
    const found = lookupResultSchema.parse(json(byNumber));
    expect(found.reservations).toHaveLength(1);
    expect(found.reservations[0]).toMatchObject({
      reservationNumber: booked.reservationNumber,
      status: 'confirmed',
      totalPrice: 300_000,
    });
    expect(found.reservations[0]!.seats.map((s) => s.seatNumber)).toEqual(['B01', 'B02']);

    const byName = json(await lookup({ phone: '010 9876 5432', name: '이서준' }));
    expect(byName.reservations).toHaveLength(1);

    const wrongPhone = await lookup({ phone: '010-0000-0000', reservationNumber: booked.reservationNumber });
    const missing = await lookup({ phone: '010-9876-5432', reservationNumber: 'ZZZZZZZZZZ' });
    expect(wrongPhone.statusCode).toBe(200);
    expect(wrongPhone.body).toBe(missing.body);
    expect(json(missing)).toEqual({ reservations: [] });

    const oneFactor = await lookup({ phone: '010-9876-5432' });
    expect(oneFactor.statusCode).toBe(400);
    expect(json(oneFactor).error.code).toBe('VALIDATION_FAILED');
  });

  it('cancels once: book A, cancel A, book the same seats as B, cancel A again → 409, B stays reserved', async () => {
    const seats = [f.seats.C01, f.seats.C02];
    const a = json(await reserve({ holdId: await hold(seats), customer }));
    const cancelled = await cancel(a.reservationNumber, { phone: customer.phone });
    expect(cancelled.statusCode).toBe(200);
    expect(json(cancelled)).toMatchObject({ reservationNumber: a.reservationNumber, status: 'cancelled' });
    expect(await seatStatus(seats)).toEqual(['available', 'available']);

    const b = await reserve({ holdId: await hold(seats), customer: { name: '박지훈', phone: '010-5555-6666' } });
    expect(b.statusCode).toBe(201);
    const again = await cancel(a.reservationNumber, { phone: customer.phone });
    expect(again.statusCode).toBe(409);
    expect(json(again).error.code).toBe('ALREADY_CANCELLED');
    expect(await seatStatus(seats)).toEqual(['reserved', 'reserved']);
    const map = json(await t.app.inject({ method: 'GET', url: `/api/schedules/${f.scheduleId}/seats` }));
    expect(
      map.seats.filter((s: { id: string }) => seats.includes(s.id)).map((s: { status: string }) => s.status),
    ).toEqual(['reserved', 'reserved']);
  });

  it('answers a wrong contact like a missing reservation, and closes cancellation before the show', async () => {
    const a = json(await reserve({ holdId: await hold([f.seats.C05]), customer }));
    const wrong = await cancel(a.reservationNumber, { phone: '010-0000-0000' });
    const missing = await cancel('ZZZZZZZZZZ', { phone: customer.phone });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.body).toBe(missing.body);
    expect(json(wrong).error.code).toBe('RESERVATION_NOT_FOUND');
    const byEmail = await cancel(a.reservationNumber.toLowerCase(), { email: 'MINJI@example.com' });
    expect(byEmail.statusCode).toBe(200);

    const soon = await createFixture(t.app.context.db, { startsInMinutes: 30 });
    const late = json(await reserve({ holdId: await hold([soon.seats.A01], soon.scheduleId), customer }));
    const closed = await cancel(late.reservationNumber, { phone: customer.phone });
    expect(closed.statusCode).toBe(409);
    expect(json(closed).error.code).toBe('CANCELLATION_CLOSED');
    expect(await seatStatus([soon.seats.A01])).toEqual(['reserved']);
  });
});
