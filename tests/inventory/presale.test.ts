import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, json, startNodes } from '../support/app.ts';
import { waitFor } from '../support/wait.ts';
import { ADMIN_TOKEN, admin, createConcert, createPerformance, customerNo } from './support.ts';

const CODE = 'x-presale-code';

/**
 * SPEC §12 presale windows: inside one, holds and bookings need a code (403 PRESALE_CODE_REQUIRED / _INVALID); a
 * code's uses are counted at booking inside the booking statement, so racing bookings never pass maxUsesPerCode.
 * Two nodes on real services (windows are cached per node for 2 s: the other node is waited for).
 */
describe.each(await backends())('presale (%s)', (backend) => {
  let nodes: FastifyInstance[];
  let close: () => Promise<void>;
  let turn = 0;
  const node = () => nodes[turn++ % nodes.length]!;

  beforeAll(async () => {
    ({ nodes, close } = await startNodes(backend, {
      ADMIN_TOKEN,
      MAX_HELD_SEATS_PER_CLIENT: 0,
      MAX_TICKETS_PER_PERSON: 0,
      MAX_SEATS_PER_HOLD: 4,
      ORPHAN_RULE: 'off',
    }));
  });
  afterAll(() => close?.());

  const hall = { sections: [{ name: 'A', grade: 'R', price: 30_000, rows: 2, seatsPerRow: 10 }] };
  const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();
  async function presale(concertId: string, body: object) {
    const res = await nodes[0]!.inject({
      method: 'POST',
      url: `/api/admin/concerts/${concertId}/presales`,
      headers: admin,
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return json(res);
  }
  const hold = (scheduleId: string, seatIds: string[], code?: string, via = node()) =>
    via.inject({
      method: 'POST',
      url: `/api/schedules/${scheduleId}/holds`,
      headers: code ? { [CODE]: code } : {},
      payload: { seatIds },
    });
  const book = (holdId: string, i: number, code?: string, via = node()) =>
    via.inject({
      method: 'POST',
      url: '/api/reservations',
      headers: code ? { [CODE]: code } : {},
      payload: { holdId, customer: customerNo(i) },
    });
  /** Waits until every node sees the window (each caches a concert's windows for 2 s). */
  const everyNodeRequires = (scheduleId: string, seatId: string) =>
    waitFor(
      async () => {
        for (const via of nodes)
          if ((await hold(scheduleId, [seatId], undefined, via)).statusCode !== 403) return false;
        return true;
      },
      undefined,
      'the presale on every node',
    );

  it('asks for a code inside the window, says so on the concert and performance answers, and refuses bad codes', async () => {
    const concertId = await createConcert(nodes[0]!);
    const p = await createPerformance(nodes[0]!, concertId, hall);
    const window = await presale(concertId, {
      name: '팬클럽 선예매',
      startsAt: minutes(-10),
      endsAt: minutes(60),
      maxUsesPerCode: 2,
      codes: ['fan-0001', 'FAN-0002'],
    });
    expect(window).toMatchObject({ concertId, name: '팬클럽 선예매', maxUsesPerCode: 2, codeCount: 2, usedCount: 0 });
    await everyNodeRequires(p.scheduleId, p.seats.A10!);

    const missing = await hold(p.scheduleId, [p.seats.A01!]);
    expect(missing.statusCode).toBe(403);
    expect(json(missing).error).toMatchObject({
      code: 'PRESALE_CODE_REQUIRED',
      details: { presale: { name: '팬클럽 선예매' } },
    });
    const wrong = await hold(p.scheduleId, [p.seats.A01!], 'NOPE-1234');
    expect(json(wrong).error).toMatchObject({ code: 'PRESALE_CODE_INVALID', details: { reason: 'unknown' } });

    // A real code with anything after it is not that code (no truncation, no look-alike).
    for (const near of [`FAN-0001${'X'.repeat(40)}`, 'FAN-0001 X', 'FAN_0001']) {
      const res = await hold(p.scheduleId, [p.seats.A01!], near);
      expect(json(res).error, near).toMatchObject({ code: 'PRESALE_CODE_INVALID', details: { reason: 'unknown' } });
    }
    const detail = json(await node().inject({ url: `/api/concerts/${concertId}` }));
    expect(detail.presales).toEqual([
      { name: '팬클럽 선예매', startsAt: expect.any(String), endsAt: expect.any(String) },
    ]);
    const date = detail.dates[0];
    const list = json(await node().inject({ url: `/api/concerts/${concertId}/schedules?date=${date}` }));
    expect(list.schedules[0].presale).toMatchObject({ name: '팬클럽 선예매' });

    // A code (any letter case) holds and books; the booking needs it too, and counts one use.
    const ok = await hold(p.scheduleId, [p.seats.A01!], 'Fan-0001');
    expect(ok.statusCode, ok.body).toBe(201);
    const noCode = await book(json(ok).holdId, 1);
    expect(json(noCode).error.code).toBe('PRESALE_CODE_REQUIRED');
    expect((await book(json(ok).holdId, 1, 'fan-0001')).statusCode).toBe(201);
    const codes = json(await nodes[0]!.inject({ url: `/api/admin/presales/${window.id}/codes`, headers: admin }));
    expect(codes).toEqual({
      presaleId: window.id,
      codes: [
        { code: 'FAN-0001', uses: 1 },
        { code: 'FAN-0002', uses: 0 },
      ],
    });
    const csv = await nodes[0]!.inject({
      url: `/api/admin/presales/${window.id}/codes`,
      headers: { ...admin, accept: 'text/csv' },
    });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body).toBe('\uFEFFcode,uses\r\nFAN-0001,1\r\nFAN-0002,0\r\n');
    expect(json(await nodes[0]!.inject({ url: `/api/admin/concerts/${concertId}/presales`, headers: admin }))).toEqual({
      presales: [{ ...window, usedCount: 1 }],
    });

    // Deleted: sales are open to everyone again (on every node within the cache time).
    const del = await nodes[0]!.inject({ method: 'DELETE', url: `/api/admin/presales/${window.id}`, headers: admin });
    expect(del.statusCode).toBe(204);
    await waitFor(
      async () => {
        for (const via of nodes)
          if ((await hold(p.scheduleId, [p.seats.B01!], undefined, via)).statusCode === 403) return false;
        return true;
      },
      undefined,
      'the presale gone on every node',
    );
  });

  it('never lets a code book more than maxUsesPerCode times under 10 concurrent bookings on both nodes', async () => {
    const concertId = await createConcert(nodes[0]!);
    const p = await createPerformance(nodes[0]!, concertId, hall);
    const window = await presale(concertId, {
      name: 'FC',
      startsAt: minutes(-1),
      endsAt: minutes(30),
      maxUsesPerCode: 3,
      codeCount: 5,
    });
    expect(window.codeCount).toBe(5);
    const { codes } = json(await nodes[0]!.inject({ url: `/api/admin/presales/${window.id}/codes`, headers: admin }));
    expect(codes).toHaveLength(5);
    const code = codes[0].code as string;
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
    await everyNodeRequires(p.scheduleId, p.seats.B10!);

    // Ten holds with the one code (a hold checks the code, it does not use it up), then ten bookings at once.
    const numbers = ['A01', 'A02', 'A03', 'A04', 'A05', 'A06', 'A07', 'A08', 'A09', 'A10'];
    const holds = await Promise.all(
      numbers.map((n, i) => hold(p.scheduleId, [p.seats[n]!], code, nodes[i % nodes.length])),
    );
    for (const h of holds) expect(h.statusCode, h.body).toBe(201);
    const results = await Promise.all(holds.map((h, i) => book(json(h).holdId, 10 + i, code, nodes[i % nodes.length])));
    const outcomes = results.map((r) => `${r.statusCode} ${json(r).error?.code ?? ''}`.trim());
    expect(outcomes.filter((o) => o === '201')).toHaveLength(3);
    expect(outcomes.filter((o) => o === '403 PRESALE_CODE_INVALID')).toHaveLength(7);
    for (const r of results.filter((r) => r.statusCode === 403)) {
      expect(json(r).error.details).toEqual({ reason: 'used_up' });
    }
    const after = json(await nodes[0]!.inject({ url: `/api/admin/presales/${window.id}/codes`, headers: admin }));
    expect(after.codes.find((c: { code: string }) => c.code === code).uses).toBe(3);
    const confirmed = await nodes[0]!.context.db
      .selectFrom('reservations')
      .select('id')
      .where('schedule_id', '=', p.scheduleId)
      .where('status', '=', 'confirmed')
      .execute();
    expect(confirmed).toHaveLength(3);
    // A used-up code holds no more; another code of the window does.
    expect(json(await hold(p.scheduleId, [p.seats.B01!], code)).error).toMatchObject({
      code: 'PRESALE_CODE_INVALID',
      details: { reason: 'used_up' },
    });
    expect((await hold(p.scheduleId, [p.seats.B01!], codes[1].code)).statusCode).toBe(201);
  });

  it('needs no code before a window opens, and refuses a window that ends before it starts', async () => {
    const concertId = await createConcert(nodes[0]!);
    const p = await createPerformance(nodes[0]!, concertId, hall);
    await presale(concertId, {
      name: 'later',
      startsAt: minutes(60),
      endsAt: minutes(120),
      maxUsesPerCode: 1,
      codeCount: 1,
    });
    expect((await hold(p.scheduleId, [p.seats.A01!])).statusCode).toBe(201);
    const list = json(await node().inject({ url: `/api/concerts/${concertId}` }));
    expect(list.presales).toHaveLength(1);
    const bad = await nodes[0]!.inject({
      method: 'POST',
      url: `/api/admin/concerts/${concertId}/presales`,
      headers: admin,
      payload: { name: 'x', startsAt: minutes(10), endsAt: minutes(5), maxUsesPerCode: 1, codeCount: 1 },
    });
    expect(bad.statusCode).toBe(400);
    const both = await nodes[0]!.inject({
      method: 'POST',
      url: `/api/admin/concerts/${concertId}/presales`,
      headers: admin,
      payload: {
        name: 'x',
        startsAt: minutes(1),
        endsAt: minutes(5),
        maxUsesPerCode: 1,
        codeCount: 1,
        codes: ['ABCD'],
      },
    });
    expect(both.statusCode).toBe(400);
  });
});
