import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, admitted, joinQueue, putQueue } from '../queue/support.ts';
import { backends, json, startNodes } from '../support/app.ts';
import { createFixture, type Fixture } from '../support/fixtures.ts';
import { waitFor } from '../support/wait.ts';

/**
 * SPEC §11 hold cap: at most MAX_HELD_SEATS_PER_CLIENT seats held at once per client address per performance, counted
 * in the hold store's script (Redis: every node together) → 429 HOLD_LIMIT + Retry-After; with a waiting room the
 * admission is the key. Requests come from 127.0.0.1, which TRUST_PROXY names as the proxy, so X-Forwarded-For says
 * which client each one is. On real services the suite runs on two nodes, taking turns.
 */
describe.each(await backends())('hold cap per client (%s)', (backend) => {
  let nodes: FastifyInstance[];
  let close: () => Promise<void>;
  let turn = 0;
  const node = () => nodes[turn++ % nodes.length]!;
  const config = {
    MAX_HELD_SEATS_PER_CLIENT: 8,
    MAX_SEATS_PER_HOLD: 4,
    TRUST_PROXY: '127.0.0.1',
    ORPHAN_RULE: 'off' as const,
    ADMIN_TOKEN,
    QUEUE_ADMIT_INTERVAL_MS: 20,
    QUEUE_CONFIG_REFRESH_MS: 50,
  };

  beforeAll(async () => {
    ({ nodes, close } = await startNodes(backend, config));
  });
  afterAll(() => close?.());

  const fixture = () =>
    createFixture(nodes[0]!.context.db, { sections: [{ grade: 'R', price: 10_000, rows: 5, seatsPerRow: 10 }] });
  const hold = (f: Fixture, client: string, body: object, headers: Record<string, string> = {}) =>
    node().inject({
      method: 'POST',
      url: `/api/schedules/${f.scheduleId}/holds`,
      payload: body,
      headers: { 'x-forwarded-for': client, ...headers },
    });
  const bySeat = (f: Fixture, client: string, numbers: string[], headers?: Record<string, string>) =>
    hold(f, client, { seatIds: numbers.map((n) => f.seats[n]!) }, headers);
  const patch = (holdId: string, client: string, body: object) =>
    node().inject({
      method: 'PATCH',
      url: `/api/holds/${holdId}`,
      payload: body,
      headers: { 'x-forwarded-for': client },
    });
  const outcome = (res: { statusCode: number; body: string }) =>
    `${res.statusCode} ${res.body ? (JSON.parse(res.body).error?.code ?? '') : ''}`.trim();

  it('8 seats per client address per performance, whichever node; the 9th → 429 HOLD_LIMIT + Retry-After', async () => {
    const f = await fixture();
    const me = '203.0.113.10';
    const first = await bySeat(f, me, ['A01', 'A02', 'A03', 'A04']);
    expect(first.statusCode).toBe(201);
    expect(outcome(await hold(f, me, { bestAvailable: { count: 4 } }))).toBe('201');
    const refused = await bySeat(f, me, ['C01']);
    expect(refused.statusCode).toBe(429);
    expect(json(refused).error).toMatchObject({ code: 'HOLD_LIMIT', details: { limit: 8, held: 8 } });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(300);
    expect(outcome(await hold(f, me, { bestAvailable: { count: 1 } }))).toBe('429 HOLD_LIMIT');

    // Another client, and the same client on another performance, are not affected.
    expect(outcome(await bySeat(f, '203.0.113.11', ['C01']))).toBe('201');
    const other = await fixture();
    expect(outcome(await bySeat(other, me, ['A01', 'A02']))).toBe('201');
    // A forged leftmost X-Forwarded-For entry does not make a new client.
    expect(outcome(await bySeat(f, `10.0.0.9, ${me}`, ['C05']))).toBe('429 HOLD_LIMIT');

    // Releasing a hold gives its seats back at once.
    const released = await node().inject({ method: 'DELETE', url: `/api/holds/${json(first).holdId}` });
    expect(released.statusCode).toBe(204);
    expect(outcome(await bySeat(f, me, ['C05', 'C06', 'C07', 'C08']))).toBe('201');
  });

  it('PATCH adding seats counts too; removing and swapping do not', async () => {
    const f = await fixture();
    const me = '203.0.113.20';
    expect(outcome(await bySeat(f, me, ['A01', 'A02', 'A03', 'A04']))).toBe('201');
    const small = json(await bySeat(f, me, ['B01', 'B02']));
    expect(outcome(await patch(small.holdId, me, { add: [f.seats.B03, f.seats.B04] }))).toBe('200');
    // The hold counts against the client that made it, whoever changes it.
    const grow = await patch(small.holdId, '198.51.100.1', { remove: [f.seats.B04] });
    expect(grow.statusCode).toBe(200);
    expect(outcome(await bySeat(f, me, ['C01', 'C02']))).toBe('429 HOLD_LIMIT');
    expect(outcome(await bySeat(f, me, ['C01']))).toBe('201');
    const refused = await patch(small.holdId, me, { add: [f.seats.B04] });
    expect(refused.statusCode).toBe(429);
    expect(json(refused).error).toMatchObject({ code: 'HOLD_LIMIT', details: { limit: 8, held: 8 } });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(outcome(await patch(small.holdId, me, { add: [f.seats.B05], remove: [f.seats.B01] }))).toBe('200');
  });

  it('40 concurrent single-seat holds by one client on both nodes: exactly 8 succeed', async () => {
    const f = await fixture();
    const numbers = Object.keys(f.seats).sort().slice(0, 40);
    const results = await Promise.all(numbers.map((n) => bySeat(f, '203.0.113.30', [n])));
    const outcomes = results.map(outcome);
    expect(outcomes.filter((o) => o === '201')).toHaveLength(8);
    expect(outcomes.filter((o) => o === '429 HOLD_LIMIT')).toHaveLength(32);
  });

  it('with a waiting room the admission is the key: people behind one address each hold their own seats', async () => {
    const f = await fixture();
    await putQueue(nodes[0]!, f.concertId, {
      enabled: true,
      opensAt: new Date(Date.now() - 60_000).toISOString(),
      admitPerMinute: 6000,
      maxActive: 10,
    });
    // Every node's settings copy sees the queue within QUEUE_CONFIG_REFRESH_MS: wait for each to ask for a token.
    for (const app of nodes) {
      let last = '';
      await waitFor(
        async () => {
          const probe = await app.inject({
            method: 'POST',
            url: `/api/schedules/${f.scheduleId}/holds`,
            payload: { seatIds: [f.seats.E10] },
            headers: { 'x-forwarded-for': '198.51.100.99' },
          });
          last = probe.body;
          if (probe.statusCode === 201) await app.inject({ method: 'DELETE', url: `/api/holds/${json(probe).holdId}` });
          return outcome(probe) === '403 ADMISSION_REQUIRED';
        },
        undefined,
        'every node to see the queue',
      ).catch((err) => {
        throw new Error(`${err.message}; last answer: ${last}`);
      });
    }
    const shared = '203.0.113.40';
    const tokens: string[] = [];
    for (let i = 0; i < 3; i++) {
      const ticket = await joinQueue(nodes[0]!, f.concertId);
      tokens.push(await admitted(nodes[0]!, ticket.ticket));
    }
    const rows = ['A', 'B', 'C'];
    for (const [i, token] of tokens.entries()) {
      const numbers = [1, 2, 3, 4].map((p) => `${rows[i]}0${p}`);
      const res = await bySeat(f, shared, numbers, { 'x-admission-token': token });
      expect(outcome(res)).toBe('201');
    }
    // 12 seats behind one address, 4 per admission; one admission still holds once.
    expect(outcome(await bySeat(f, shared, ['D01'], { 'x-admission-token': tokens[0]! }))).toBe(
      '409 ADMISSION_HOLD_EXISTS',
    );
  });
});
