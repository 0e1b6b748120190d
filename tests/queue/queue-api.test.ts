import { createHash } from 'node:crypto';
import { holdSchema, leadingZeroBits, queueChallengeSchema, queueConfigSchema } from '@seatmap/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solveChallenge } from '../../server/src/queue/challenge.ts';
import { backends, json, startTestApp, type TestApp } from '../support/app.ts';
import { createFixture, type Fixture } from '../support/fixtures.ts';
import {
  ADMIN_TOKEN,
  adminHeaders,
  admitted,
  booking,
  idempotency,
  joinQueue,
  manualClock,
  pollTicket,
  putQueue,
} from './support.ts';

const MINUTE = 60_000;

describe.each(await backends())('waiting room API (%s)', (backend) => {
  let t: TestApp;
  let f: Fixture;
  const clock = manualClock();
  const queueBody = (over: Record<string, unknown> = {}) => ({
    enabled: true,
    opensAt: new Date(clock.ms + MINUTE).toISOString(),
    admitPerMinute: 600,
    maxActive: 2,
    sessionMinutes: 10,
    ...over,
  });
  const hold = (seatIds: string[], token?: string, scheduleId = f.scheduleId) =>
    t.app.inject({
      method: 'POST',
      url: `/api/schedules/${scheduleId}/holds`,
      payload: { seatIds },
      headers: token ? { 'x-admission-token': token } : {},
    });
  const stats = async (concertId = f.concertId) =>
    json(
      await t.app.inject({ method: 'GET', url: `/api/admin/concerts/${concertId}/queue/stats`, headers: adminHeaders }),
    );

  beforeAll(async () => {
    t = await startTestApp(backend, { ADMIN_TOKEN, QUEUE_ADMIT_INTERVAL_MS: 20 }, { now: clock.now });
    f = await createFixture(t.app.context.db);
  });
  afterAll(() => t?.close());

  it('box office: PUT, GET and PATCH the settings behind the admin token; bad input is a 400', async () => {
    const url = `/api/admin/concerts/${f.concertId}/queue`;
    expect((await t.app.inject({ method: 'GET', url, headers: adminHeaders })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'PUT', url, payload: queueBody() })).statusCode).toBe(401);
    const bad = await t.app.inject({
      method: 'PUT',
      url,
      headers: adminHeaders,
      payload: queueBody({ admitPerMinute: 0 }),
    });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.code).toBe('VALIDATION_FAILED');
    const unknown = await t.app.inject({
      method: 'PUT',
      url: '/api/admin/concerts/00000000-0000-4000-8000-000000000000/queue',
      headers: adminHeaders,
      payload: queueBody(),
    });
    expect(json(unknown).error.code).toBe('CONCERT_NOT_FOUND');
    const config = queueConfigSchema.parse(await putQueue(t.app, f.concertId, queueBody()));
    expect(config).toMatchObject({ concertId: f.concertId, sessionMinutes: 10, challengeBits: 0, paused: false });
    const paused = await t.app.inject({ method: 'PATCH', url, headers: adminHeaders, payload: { paused: true } });
    expect(json(paused).paused).toBe(true);
    expect(json(await t.app.inject({ method: 'GET', url, headers: adminHeaders }))).toEqual({
      ...config,
      paused: true,
    });
    await t.app.inject({ method: 'PATCH', url, headers: adminHeaders, payload: { paused: false } });
    expect(await stats()).toEqual({ waiting: 0, active: 0, admittedTotal: 0, admittedLastMinute: 0, expiredTotal: 0 });
  });

  it('pre-queue before opensAt; at opensAt a random order, FIFO after; a reload keeps the place; admits in order', async () => {
    const pre = [];
    for (let i = 0; i < 6; i++) pre.push(await joinQueue(t.app, f.concertId));
    for (const p of pre) expect(p).toMatchObject({ status: 'waiting', position: null, ahead: expect.any(Number) });
    expect(pre[0]!.pollAfterMs).toBeGreaterThan(0);
    expect(new Set(pre.map((p) => p.ticket)).size).toBe(6);
    // Holds need an admission while the queue is on; the layout stays public.
    expect(json(await hold([f.seats.A01!])).error.code).toBe('ADMISSION_REQUIRED');
    expect((await t.app.inject({ method: 'GET', url: `/api/schedules/${f.scheduleId}/seats` })).statusCode).toBe(200);

    // Paused while the test reads the order (the admitter runs on its own timer).
    const queueUrl = `/api/admin/concerts/${f.concertId}/queue`;
    await t.app.inject({ method: 'PATCH', url: queueUrl, headers: adminHeaders, payload: { paused: true } });
    clock.advance(MINUTE);
    const late = await joinQueue(t.app, f.concertId);
    expect(late).toMatchObject({ position: 7, ahead: 6 });
    // Reload (POST with the ticket) and a second tab (GET) answer the same place; nothing duplicates it.
    const byPosition: string[] = [];
    for (const p of pre) {
      const again = await joinQueue(t.app, f.concertId, { ticket: p.ticket });
      expect(again.ticket).toBe(p.ticket);
      expect(await pollTicket(t.app, p.ticket)).toMatchObject({ ticket: p.ticket, position: again.position });
      byPosition[again.position! - 1] = p.ticket;
    }
    expect(byPosition.filter(Boolean)).toHaveLength(6);
    expect((await stats()).waiting).toBe(7);
    await t.app.inject({ method: 'PATCH', url: queueUrl, headers: adminHeaders, payload: { paused: false } });
    // maxActive 2: the first two in line are admitted, nobody else.
    const tokens = [await admitted(t.app, byPosition[0]!), await admitted(t.app, byPosition[1]!)];
    expect(await pollTicket(t.app, byPosition[2]!)).toMatchObject({ status: 'waiting', position: 1, ahead: 0 });
    expect(await stats()).toMatchObject({ waiting: 5, active: 2, admittedTotal: 2, admittedLastMinute: 2 });
    const status = await pollTicket(t.app, byPosition[0]!);
    expect(Date.parse(status.admission!.expiresAt)).toBe(clock.ms + 10 * MINUTE);

    // An admission holds once; a second hold waits until the first is gone.
    const [a, b] = tokens as [string, string];
    const created = await hold([f.seats.A01!, f.seats.A02!], a);
    expect(created.statusCode).toBe(201);
    const h1 = holdSchema.parse(json(created));
    const second = await hold([f.seats.A05!], a);
    expect(second.statusCode).toBe(409);
    expect(json(second).error).toMatchObject({ code: 'ADMISSION_HOLD_EXISTS', details: { holdId: h1.holdId } });
    // Another admission's token, a forged one, or none: refused for this hold.
    const patch = (token?: string) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/holds/${h1.holdId}`,
        payload: { add: [f.seats.A03!] },
        headers: token ? { 'x-admission-token': token } : {},
      });
    expect(json(await patch()).error.code).toBe('ADMISSION_REQUIRED');
    expect(json(await patch(b)).error.code).toBe('ADMISSION_REQUIRED');
    expect(json(await patch(`${a.split('.')[0]}.${'x'.repeat(40)}`)).error.code).toBe('ADMISSION_REQUIRED');
    expect((await patch(a)).statusCode).toBe(200);
    const reserve = (token?: string, key = idempotency()) =>
      t.app.inject({
        method: 'POST',
        url: '/api/reservations',
        payload: booking(h1.holdId),
        headers: { ...key, ...(token ? { 'x-admission-token': token } : {}) },
      });
    expect(json(await reserve()).error.code).toBe('ADMISSION_REQUIRED');
    const key = idempotency();
    const booked = await reserve(a, key);
    expect(booked.statusCode).toBe(201);
    // Booking ends the admission and frees its active place; the same request again still gets its answer.
    expect((await pollTicket(t.app, byPosition[0]!)).status).toBe('closed');
    expect(json(await reserve(a, key))).toEqual(json(booked));
    expect(json(await hold([f.seats.A07!], a)).error.code).toBe('ADMISSION_EXPIRED');
    await admitted(t.app, byPosition[2]!);

    // Giving up an admission frees its hold at once; leaving the line frees the place.
    const hb = holdSchema.parse(json(await hold([f.seats.B01!], b)));
    expect((await t.app.inject({ method: 'DELETE', url: `/api/queue/${byPosition[1]}` })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/api/holds/${hb.holdId}` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/queue/${late.ticket}` })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/api/queue/${late.ticket}` })).statusCode).toBe(404);
    await admitted(t.app, byPosition[3]!);
    expect(await stats()).toMatchObject({ waiting: 2, active: 2, admittedTotal: 4, expiredTotal: 0 });

    // After sessionMinutes an admission ends: its hold is released, its token refused, never readmitted.
    const c = await admitted(t.app, byPosition[2]!);
    const hc = holdSchema.parse(json(await hold([f.seats.C01!], c)));
    clock.advance(10 * MINUTE);
    expect(json(await hold([f.seats.C05!], c)).error.code).toBe('ADMISSION_EXPIRED');
    expect((await pollTicket(t.app, byPosition[2]!)).status).toBe('closed');
    await admitted(t.app, byPosition[4]!);
    await admitted(t.app, byPosition[5]!);
    const freed = async () => (await t.app.inject({ method: 'GET', url: `/api/holds/${hc.holdId}` })).statusCode;
    for (let i = 0; i < 500 && (await freed()) !== 404; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await freed()).toBe(404);
    expect(await stats()).toMatchObject({ waiting: 0, active: 2, admittedTotal: 6, expiredTotal: 2 });
  });

  it('answers unknown and foreign tickets with 404, and nothing a client sends moves a place', async () => {
    const first = await joinQueue(t.app, f.concertId);
    const other = await createFixture(t.app.context.db, { title: 'other' });
    for (const ticket of ['nope', `${first.ticket}x`, `${first.ticket.split('.')[0]}.AAAAAAAAAAAAAAAAAAAAAA`]) {
      const res = await t.app.inject({ method: 'GET', url: `/api/queue/${ticket}` });
      expect(json(res).error.code).toBe('TICKET_NOT_FOUND');
    }
    const foreign = await t.app.inject({
      method: 'POST',
      url: `/api/concerts/${f.concertId}/queue`,
      payload: { ticket: first.ticket.replace(/^[^.]+/, 'AAAAAAAAAAAAAAAAAAAAAA') },
    });
    expect(json(foreign).error.code).toBe('TICKET_NOT_FOUND');
    // Headers and a hand-made ticket change nothing: a new arrival queues at the back.
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/concerts/${f.concertId}/queue`,
      payload: {},
      headers: { 'x-forwarded-for': '1.2.3.4', 'x-queue-position': '1', 'user-agent': 'vip' },
    });
    expect(json(res)).toMatchObject({ status: 'waiting', position: first.position! + 1 });
    // A concert without a queue: nothing to wait for, holds need no token.
    expect(await joinQueue(t.app, other.concertId)).toMatchObject({ status: 'closed', position: null });
    expect((await hold([other.seats.A01!], undefined, other.scheduleId)).statusCode).toBe(201);
    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/concerts/00000000-0000-4000-8000-000000000000/queue',
      payload: {},
    });
    expect(json(missing).error.code).toBe('CONCERT_NOT_FOUND');
  });

  it('with challengeBits, joining needs a fresh solved challenge, each good once', async () => {
    const g = await createFixture(t.app.context.db, { title: 'pow' });
    await putQueue(t.app, g.concertId, queueBody({ challengeBits: 8 }));
    const challenge = queueChallengeSchema.parse(
      json(await t.app.inject({ method: 'GET', url: `/api/concerts/${g.concertId}/queue/challenge` })),
    );
    expect(challenge.bits).toBe(8);
    expect(Date.parse(challenge.expiresAt) - clock.ms).toBe(5 * MINUTE);
    const join = (payload: object) =>
      t.app.inject({ method: 'POST', url: `/api/concerts/${g.concertId}/queue`, payload });
    expect(json(await join({})).error.code).toBe('CHALLENGE_FAILED');
    let wrong = 0;
    while (leadingZeroBits(createHash('sha256').update(`${challenge.challenge}w${wrong}`).digest()) >= 8) wrong++;
    expect(json(await join({ proof: { challenge: challenge.challenge, nonce: `w${wrong}` } })).error.code).toBe(
      'CHALLENGE_FAILED',
    );
    const proof = { challenge: challenge.challenge, nonce: solveChallenge(challenge.challenge, 8) };
    const ok = await join({ proof });
    expect(ok.statusCode).toBe(200);
    expect(json(ok).status).toBe('waiting');
    const reused = await join({ proof });
    expect(reused.statusCode).toBe(400);
    expect(json(reused).error.code).toBe('CHALLENGE_FAILED');
    // A reload with the ticket needs no new proof.
    expect((await join({ ticket: json(ok).ticket })).statusCode).toBe(200);
    // Expired challenges are refused.
    const old = queueChallengeSchema.parse(
      json(await t.app.inject({ method: 'GET', url: `/api/concerts/${g.concertId}/queue/challenge` })),
    );
    clock.advance(5 * MINUTE);
    const late = await join({ proof: { challenge: old.challenge, nonce: solveChallenge(old.challenge, 8) } });
    expect(json(late).error.code).toBe('CHALLENGE_FAILED');
  });
});
