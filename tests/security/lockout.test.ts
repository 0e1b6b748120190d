import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, json, startTestApp, startTestCluster } from '../support/app.ts';
import { createFixture, type Fixture } from '../support/fixtures.ts';

/**
 * SPEC §11: 5 failed lookups or cancellations for one phone, email or reservation number within 15 minutes lock
 * that identity (429) whatever the client address — counted in Redis across two nodes, in-process when embedded.
 */
describe.each(await backends())('lookup and cancel lockout (%s)', (backend) => {
  let nodes: FastifyInstance[];
  let close: () => Promise<void>;
  let f: Fixture;
  let clock = Date.now();
  const now = () => new Date(clock);
  let turn = 0;
  let seatIndex = 0;
  /** Every request goes to the next node, from another client address. */
  const send = (url: string, payload: object) =>
    nodes[turn++ % nodes.length]!.inject({
      method: 'POST',
      url,
      payload,
      remoteAddress: `198.51.100.${turn % 250}`,
    });
  const lookup = (payload: object) => send('/api/reservations/lookup', payload);
  const cancel = (number: string, payload: object) => send(`/api/reservations/${number}/cancel`, payload);

  async function book(customer: { name: string; phone: string; email?: string }) {
    const seat = Object.values(f.seats)[seatIndex++]!;
    const hold = await send(`/api/schedules/${f.scheduleId}/holds`, { seatIds: [seat] });
    expect(hold.statusCode).toBe(201);
    const res = await send('/api/reservations', { holdId: json(hold).holdId, customer });
    expect(res.statusCode).toBe(201);
    return json(res).reservationNumber as string;
  }

  beforeAll(async () => {
    if (backend === 'real') {
      const cluster = await startTestCluster(2, { ORPHAN_RULE: 'off' }, { now });
      nodes = cluster.nodes;
      close = cluster.close;
    } else {
      const t = await startTestApp(backend, { ORPHAN_RULE: 'off' }, { now });
      nodes = [t.app];
      close = t.close;
    }
    f = await createFixture(nodes[0]!.context.db);
  });
  afterAll(() => close?.());

  it('locks a phone after 5 wrong lookups, on every node and from every address, for 15 minutes', async () => {
    const phone = '010-2000-0001';
    const number = await book({ name: '정하늘', phone });
    for (let i = 0; i < 5; i++) {
      const res = await lookup({ phone, reservationNumber: `WRONG00${i}` });
      expect(res.statusCode).toBe(200);
      expect(json(res).reservations).toEqual([]);
    }
    // Even the right factors now get 429 — the lock is on the phone, not on the address.
    const locked = await lookup({ phone: '01020000001', reservationNumber: number });
    expect(locked.statusCode).toBe(429);
    expect(json(locked).error.code).toBe('RATE_LIMITED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(850);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(900);
    // Another customer is not affected.
    const other = await lookup({ phone: '010-2000-0002', reservationNumber: 'WRONG999' });
    expect(other.statusCode).toBe(200);

    clock += 15 * 60_000 + 1000;
    const later = await lookup({ phone, reservationNumber: number });
    expect(later.statusCode).toBe(200);
    expect(json(later).reservations.map((r: { reservationNumber: string }) => r.reservationNumber)).toEqual([number]);
  });

  it('locks a reservation number after 5 wrong contacts: the right phone then gets 429 and nothing is cancelled', async () => {
    const phone = '010-2000-0003';
    const number = await book({ name: '한가람', phone });
    for (let i = 0; i < 5; i++) {
      const res = await cancel(number, { phone: `010-3000-000${i}` });
      expect(res.statusCode).toBe(404);
    }
    const locked = await cancel(number, { phone });
    expect(locked.statusCode).toBe(429);
    expect(json(locked).error.code).toBe('RATE_LIMITED');
    const row = await nodes[0]!.context.db
      .selectFrom('reservations')
      .select('status')
      .where('reservation_number', '=', number)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('confirmed');

    clock += 15 * 60_000 + 1000;
    const later = await cancel(number, { phone });
    expect(later.statusCode).toBe(200);
    expect(json(later).status).toBe('cancelled');
  });

  it('gives 20 concurrent guesses 5 tries between them', async () => {
    const phone = '010-2000-0004';
    await book({ name: '오세훈', phone });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => lookup({ phone, reservationNumber: `GUESS${String(i).padStart(3, '0')}` })),
    );
    const statuses = answers.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });

  it('does not count successful lookups, and counts an email like a phone', async () => {
    const customer = { name: '문지아', phone: '010-2000-0005', email: 'jia@example.com' };
    const number = await book(customer);
    for (let i = 0; i < 8; i++) {
      const res = await lookup({ email: 'JIA@example.com', reservationNumber: number });
      expect(json(res).reservations).toHaveLength(1);
    }
    for (let i = 0; i < 5; i++) await lookup({ email: customer.email, name: `아무개${i}` });
    expect((await lookup({ email: customer.email, name: customer.name })).statusCode).toBe(429);
    // The phone is another identity: still open.
    expect((await lookup({ phone: customer.phone, name: customer.name })).statusCode).toBe(200);
  });

  it('masks reservation numbers when the second factor is the name; only the full number cancels', async () => {
    const customer = { name: '배수지', phone: '010-2000-0006' };
    const number = await book(customer);
    const byName = json(await lookup({ phone: customer.phone, name: customer.name }));
    expect(byName.reservations).toHaveLength(1);
    const shown = byName.reservations[0].reservationNumber as string;
    expect(shown).toBe(`****${number.slice(-4)}`);
    expect(shown).not.toContain(number.slice(0, -4));

    expect((await cancel(shown, { phone: customer.phone })).statusCode).toBe(404);
    const byNumber = json(await lookup({ phone: customer.phone, reservationNumber: number }));
    expect(byNumber.reservations[0].reservationNumber).toBe(number);
    const cancelled = await cancel(number, { phone: customer.phone });
    expect(cancelled.statusCode).toBe(200);
  });
});
