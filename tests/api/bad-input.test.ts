import { errorBodySchema } from '@seatmap/shared';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, json, startTestApp, type TestApp } from '../support/app.ts';
import { createFixture, customer, type Fixture } from '../support/fixtures.ts';

/** Malformed input gets a 4xx in the SPEC error shape, never a 500, and never changes a row. */
describe.each(await backends())('bad input (%s)', (backend) => {
  let t: TestApp;
  let f: Fixture;
  let other: Fixture;

  beforeAll(async () => {
    t = await startTestApp(backend);
    f = await createFixture(t.app.context.db);
    other = await createFixture(t.app.context.db);
  });
  afterAll(() => t?.close());

  const holdsUrl = () => `/api/schedules/${f.scheduleId}/holds`;
  const cases: [string, () => InjectOptions, number][] = [
    [
      'non-UUID schedule id',
      () => ({ method: 'POST', url: '/api/schedules/123/holds', payload: { seatIds: [f.seats.A01] } }),
      400,
    ],
    ['non-UUID seat id', () => ({ method: 'POST', url: holdsUrl(), payload: { seatIds: ['A01'] } }), 400],
    ['seatIds of the wrong type', () => ({ method: 'POST', url: holdsUrl(), payload: { seatIds: f.seats.A01 } }), 400],
    ['empty seatIds', () => ({ method: 'POST', url: holdsUrl(), payload: { seatIds: [] } }), 400],
    [
      'duplicate seatIds',
      () => ({ method: 'POST', url: holdsUrl(), payload: { seatIds: [f.seats.A01, f.seats.A01] } }),
      400,
    ],
    [
      'seats of another performance',
      () => ({ method: 'POST', url: holdsUrl(), payload: { seatIds: [other.seats.A01] } }),
      400,
    ],
    [
      'both seatIds and bestAvailable',
      () => ({ method: 'POST', url: holdsUrl(), payload: { seatIds: [f.seats.A01], bestAvailable: { count: 1 } } }),
      400,
    ],
    [
      'unknown field in a hold',
      () => ({ method: 'POST', url: holdsUrl(), payload: { seatIds: [f.seats.A01], status: 'reserved' } }),
      400,
    ],
    [
      'bestAvailable count of zero',
      () => ({ method: 'POST', url: holdsUrl(), payload: { bestAvailable: { count: 0 } } }),
      400,
    ],
    [
      'bestAvailable count as text',
      () => ({ method: 'POST', url: holdsUrl(), payload: { bestAvailable: { count: '2' } } }),
      400,
    ],
    ['no body', () => ({ method: 'POST', url: holdsUrl() }), 400],
    ['a JSON array body', () => ({ method: 'POST', url: holdsUrl(), payload: [f.seats.A01] }), 400],
    [
      'broken JSON',
      () => ({
        method: 'POST',
        url: holdsUrl(),
        payload: '{"seatIds":[',
        headers: { 'content-type': 'application/json' },
      }),
      400,
    ],
    [
      'a text body',
      () => ({ method: 'POST', url: holdsUrl(), payload: 'seatIds=1', headers: { 'content-type': 'text/plain' } }),
      400,
    ],
    [
      'an XML body',
      () => ({
        method: 'POST',
        url: holdsUrl(),
        payload: '<seatIds/>',
        headers: { 'content-type': 'application/xml' },
      }),
      415,
    ],
    ['an absurd hold id', () => ({ method: 'GET', url: `/api/holds/${'x'.repeat(5000)}` }), 414],
    ['a long hold id', () => ({ method: 'GET', url: `/api/holds/${'x'.repeat(90)}` }), 400],
    [
      'a hold id with symbols',
      () => ({ method: 'PATCH', url: '/api/holds/%27%3B%20DROP%20TABLE', payload: { add: [f.seats.A01] } }),
      400,
    ],
    ['an empty PATCH', () => ({ method: 'PATCH', url: '/api/holds/abcdefabcdefabcdefabcdef', payload: {} }), 400],
    [
      'an absurd customer name',
      () => ({
        method: 'POST',
        url: '/api/reservations',
        payload: { holdId: 'abc', customer: { ...customer, name: 'x'.repeat(10_000) } },
      }),
      400,
    ],
    [
      'a phone number with letters',
      () => ({
        method: 'POST',
        url: '/api/reservations',
        payload: { holdId: 'abc', customer: { ...customer, phone: '010-ABCD-5678' } },
      }),
      400,
    ],
    [
      'a customer that is a string',
      () => ({ method: 'POST', url: '/api/reservations', payload: { holdId: 'abc', customer: 'kim' } }),
      400,
    ],
    [
      'an over-long Idempotency-Key',
      () => ({
        method: 'POST',
        url: '/api/reservations',
        payload: { holdId: 'abc', customer },
        headers: { 'idempotency-key': 'k'.repeat(300) },
      }),
      400,
    ],
    [
      'a lookup with one factor',
      () => ({ method: 'POST', url: '/api/reservations/lookup', payload: { reservationNumber: 'ABCDEFGHJK' } }),
      400,
    ],
    [
      'a cancellation without contact',
      () => ({ method: 'POST', url: '/api/reservations/ABCDEFGHJK/cancel', payload: {} }),
      400,
    ],
    [
      'a body over the size limit',
      () => ({ method: 'POST', url: holdsUrl(), payload: { seatIds: [f.seats.A01], pad: 'x'.repeat(200_000) } }),
      413,
    ],
    [
      'a NUL in a customer name',
      () => ({
        method: 'POST',
        url: '/api/reservations',
        payload: { holdId: 'abc', customer: { ...customer, name: 'a\u0000b' } },
      }),
      400,
    ],
    [
      'a NUL in a lookup name',
      () => ({ method: 'POST', url: '/api/reservations/lookup', payload: { phone: customer.phone, name: 'a\u0000b' } }),
      400,
    ],
    [
      'a NUL in a lookup number',
      () => ({
        method: 'POST',
        url: '/api/reservations/lookup',
        payload: { phone: customer.phone, reservationNumber: 'AB\u0000CD' },
      }),
      400,
    ],
    [
      'a NUL in a cancelled number',
      () => ({ method: 'POST', url: '/api/reservations/AB%00CD/cancel', payload: { phone: customer.phone } }),
      400,
    ],
    [
      'a NUL in a best-available grade',
      () => ({ method: 'POST', url: holdsUrl(), payload: { bestAvailable: { count: 1, grade: 'R\u0000' } } }),
      400,
    ],
    ['an unknown route', () => ({ method: 'GET', url: '/api/nothing-here' }), 404],
  ];

  it.each(cases)('%s → %i in the error shape', async (_name, request, status) => {
    const before = await t.app.context.db
      .selectFrom('seats')
      .select(['id', 'status', 'updated_at'])
      .orderBy('id')
      .execute();
    const res = await t.app.inject(request());
    expect(res.statusCode).toBe(status);
    const body = errorBodySchema.parse(json(res));
    if (status === 400 || status === 414) expect(body.error.code).toBe('VALIDATION_FAILED');
    if (status === 413) expect(body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const after = await t.app.context.db
      .selectFrom('seats')
      .select(['id', 'status', 'updated_at'])
      .orderBy('id')
      .execute();
    expect(after).toEqual(before);
    const states = await t.app.context.holdStore.states(f.scheduleId);
    expect(states.held).toEqual([]);
  });

  it('lists each invalid field with its path', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/reservations',
      payload: { holdId: '', customer: { name: '', phone: 'x' } },
    });
    expect(res.statusCode).toBe(400);
    const paths = json(res).error.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.holdId', 'body.customer.name', 'body.customer.phone']));
  });
});
