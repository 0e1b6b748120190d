import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, json, startTestApp, type TestApp } from '../support/app.ts';
import { createFixture, type Fixture } from '../support/fixtures.ts';

/**
 * SPEC §11: logs never carry hold ids, reservation numbers, phones or emails in clear. A whole customer journey runs
 * with the log at debug level into memory; then the log is searched for every secret the journey produced.
 */
describe.each(await backends())('log hygiene (%s)', (backend) => {
  let t: TestApp;
  let f: Fixture;
  const lines: string[] = [];
  const secrets: string[] = [];
  const customer = { name: '로그테스트', phone: '010-5555-6666', email: 'log.test@example.com' };

  beforeAll(async () => {
    t = await startTestApp(
      backend,
      { LOG_LEVEL: 'debug', ORPHAN_RULE: 'off' },
      { logStream: { write: (line: string) => void lines.push(line) } },
    );
    f = await createFixture(t.app.context.db);
  });
  afterAll(() => t?.close());

  const send = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, ...(payload ? { payload } : {}) });

  it('a customer journey leaves no hold id, reservation number, phone or email in the log', async () => {
    const hold = json(await send('POST', `/api/schedules/${f.scheduleId}/holds`, { seatIds: [f.seats.A01] }));
    secrets.push(hold.holdId);
    expect((await send('GET', `/api/holds/${hold.holdId}`)).statusCode).toBe(200);
    expect((await send('PATCH', `/api/holds/${hold.holdId}`, { add: [f.seats.A02] })).statusCode).toBe(200);
    const booked = await send('POST', '/api/reservations', { holdId: hold.holdId, customer });
    expect(booked.statusCode).toBe(201);
    const number = json(booked).reservationNumber as string;
    secrets.push(number);
    expect(
      (await send('POST', '/api/reservations/lookup', { phone: customer.phone, reservationNumber: number })).statusCode,
    ).toBe(200);
    expect(
      (await send('POST', '/api/reservations/lookup', { email: customer.email, name: customer.name })).statusCode,
    ).toBe(200);
    expect((await send('POST', `/api/reservations/${number}/cancel`, { phone: customer.phone })).statusCode).toBe(200);
    expect((await send('POST', `/api/reservations/${number}/cancel`, { phone: customer.phone })).statusCode).toBe(409);
    // A second hold, released; unknown holds and numbers; bad input that quotes a phone; a query string.
    const other = json(await send('POST', `/api/schedules/${f.scheduleId}/holds`, { seatIds: [f.seats.B01] }));
    secrets.push(other.holdId);
    expect((await send('DELETE', `/api/holds/${other.holdId}`)).statusCode).toBe(204);
    expect((await send('GET', `/api/holds/${other.holdId}`)).statusCode).toBe(404);
    expect((await send('POST', '/api/reservations/ZZZZ9999QQ/cancel', { email: customer.email })).statusCode).toBe(404);
    expect((await send('GET', `/api/holds/${other.holdId}/extra?phone=${customer.phone}`)).statusCode).toBe(404);
    expect(
      (await send('POST', '/api/reservations', { holdId: 'x', customer: { ...customer, phone: '010-5555-66666' } }))
        .statusCode,
    ).toBe(400);
    expect((await send('GET', `/api/concerts/${f.concertId}/schedules?date=2030-01-01`)).statusCode).toBe(200);
    // Fields a service might log (top level, the customer, an error's detail) are redacted.
    t.app.log.warn(
      {
        holdId: hold.holdId,
        reservationNumber: number,
        customer,
        phone: customer.phone,
        email: customer.email,
        err: { message: 'x', detail: `Key (reservation_number)=(${number})` },
      },
      'a warning about a booking',
    );

    const log = lines.join('');
    // The test can fail: requests were logged, with their routes.
    expect(log).toContain('/api/holds/:holdId');
    expect(log).toContain('/api/reservations/:reservationNumber/cancel');
    expect(log).toContain(`/api/concerts/${f.concertId}/schedules?:redacted`);
    expect(log).toContain('a warning about a booking');
    for (const secret of [
      ...secrets,
      customer.phone,
      '01055556666',
      '0105555666',
      customer.email,
      'ZZZZ9999QQ',
      '2030-01-01',
    ]) {
      expect(log.includes(secret), `log contains ${secret}`).toBe(false);
    }
  });
});
