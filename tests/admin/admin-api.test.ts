import {
  adminConcertListSchema,
  adminConcertSchema,
  adminReservationListSchema,
  adminScheduleListSchema,
  adminScheduleSchema,
  seatMapSchema,
} from '@seatmap/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, json, startTestApp, type TestApp } from '../support/app.ts';
import { ADMIN_TOKEN, auth } from './support.ts';

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const layout = {
  sections: [
    { name: 'R1', grade: 'R', price: 150_000, rows: 2, seatsPerRow: 5 },
    { name: 'S1', grade: 'S', price: 120_000, rows: 3, seatsPerRow: 4 },
  ],
};

describe.each(await backends())('box office API (%s)', (backend) => {
  let t: TestApp;
  const admin = (method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = auth) =>
    t.app.inject({ method, url, ...(payload ? { payload } : {}), headers });

  beforeAll(async () => {
    t = await startTestApp(backend, { ADMIN_TOKEN });
  });
  afterAll(() => t?.close());

  it('answers 401 without a token and 403 with a wrong one, in the SPEC error shape, before validation', async () => {
    for (const headers of [{}, { authorization: 'Basic abc' }, { authorization: 'Bearer' }] as Record<
      string,
      string
    >[]) {
      const res = await admin('POST', '/api/admin/concerts', { title: '' }, headers);
      expect(res.statusCode).toBe(401);
      expect(json(res)).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
      expect(res.headers['www-authenticate']).toContain('Bearer');
    }
    for (const token of ['wrong', `${ADMIN_TOKEN}x`, ADMIN_TOKEN.slice(0, -1)]) {
      const res = await admin('GET', '/api/admin/concerts', undefined, { authorization: `Bearer ${token}` });
      expect(res.statusCode).toBe(403);
      expect(json(res).error.code).toBe('FORBIDDEN');
    }
    const stats = await t.app.inject({ method: 'GET', url: `/api/admin/schedules/${crypto.randomUUID()}/stats` });
    expect(stats.statusCode).toBe(401);
  });

  it('creates a concert and a performance whose seats are generated row by row', async () => {
    const concertRes = await admin('POST', '/api/admin/concerts', {
      title: '박스오피스 테스트',
      venue: '세종문화회관',
      posterImageUrl: '/posters/test.svg',
      status: 'ignored',
    });
    expect(concertRes.statusCode).toBe(201);
    const concert = adminConcertSchema.parse(json(concertRes));
    expect(concert).toMatchObject({ title: '박스오피스 테스트', venue: '세종문화회관', timezone: 'Asia/Seoul' });

    const dateTime = future(10);
    const res = await admin('POST', `/api/admin/concerts/${concert.id}/schedules`, { dateTime, layout });
    expect(res.statusCode).toBe(201);
    const schedule = adminScheduleSchema.parse(json(res));
    expect(schedule).toMatchObject({ concertId: concert.id, totalSeats: 22 });
    expect(Date.parse(schedule.dateTime)).toBe(Date.parse(dateTime));
    expect(schedule.dateTime).toMatch(/\+09:00$/);

    const map = seatMapSchema.parse(json(await t.app.inject({ url: `/api/schedules/${schedule.id}/seats` })));
    const numbers = map.seats.map((s) => s.seatNumber).sort();
    expect(numbers.slice(0, 6)).toEqual(['A01', 'A02', 'A03', 'A04', 'A05', 'B01']);
    expect(map.seats.filter((s) => s.grade === 'S').map((s) => s.row)).toContain('E');
    expect(new Set(map.seats.map((s) => `${s.x},${s.y}`)).size).toBe(22);
    expect(map.seats.every((s) => s.status === 'available')).toBe(true);

    // Listed with every performance, past ones included (an old one is inserted directly).
    await t.app.context.db
      .insertInto('schedules')
      .values({ concert_id: concert.id, date_time: new Date(Date.now() - 86_400_000) })
      .execute();
    const list = adminScheduleListSchema.parse(json(await admin('GET', `/api/admin/concerts/${concert.id}/schedules`)));
    expect(list.schedules).toHaveLength(2);
    expect(list.schedules[1]).toEqual(schedule);
    expect(list.schedules[0]!.totalSeats).toBe(0);
    const concerts = adminConcertListSchema.parse(json(await admin('GET', '/api/admin/concerts')));
    expect(concerts.concerts.find((c) => c.id === concert.id)?.scheduleCount).toBe(2);
  });

  it('refuses bad performances: unknown concert 404, past time, two prices for a grade, too many seats', async () => {
    const concert = json(await admin('POST', '/api/admin/concerts', { title: '검증', venue: '홀' }));
    const unknown = await admin('POST', `/api/admin/concerts/${crypto.randomUUID()}/schedules`, {
      dateTime: future(3),
      layout,
    });
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown).error.code).toBe('CONCERT_NOT_FOUND');

    const url = `/api/admin/concerts/${concert.id}/schedules`;
    const past = await admin('POST', url, { dateTime: future(-1), layout });
    expect(past.statusCode).toBe(400);
    expect(json(past).error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(json(past).error.details.issues[0].path).toBe('body.dateTime');

    const section = layout.sections[0]!;
    const twoPrices = await admin('POST', url, {
      dateTime: future(3),
      layout: { sections: [section, { ...section, name: 'R2', price: 1 }] },
    });
    expect(twoPrices.statusCode).toBe(400);
    const huge = await admin('POST', url, {
      dateTime: future(3),
      layout: {
        sections: Array.from({ length: 2 }, (_, i) => ({ ...section, name: `X${i}`, rows: 200, seatsPerRow: 500 })),
      },
    });
    expect(huge.statusCode).toBe(400);
    for (const bad of [
      { dateTime: 'tomorrow', layout },
      { dateTime: future(3), layout: { sections: [] } },
      { dateTime: future(3), layout: { sections: [{ ...section, rows: 0 }] } },
      { dateTime: future(3), layout: { sections: [{ ...section, grade: 'TOOLONG' }] } },
    ]) {
      const res = await admin('POST', url, bad);
      expect(res.statusCode).toBe(400);
      expect(json(res).error.code).toBe('VALIDATION_FAILED');
    }
    for (const bad of [
      {},
      { title: '', venue: 'x' },
      { title: 'x', venue: 'x', timezone: 'Mars/Olympus' },
      { title: 'x', venue: 'x', posterImageUrl: 'javascript:alert(1)' },
    ]) {
      expect((await admin('POST', '/api/admin/concerts', bad)).statusCode).toBe(400);
    }
    // Nothing half-built was left behind.
    const list = json(await admin('GET', url));
    expect(list.schedules).toEqual([]);
  });

  it('answers 404 for the stats and reservations of an unknown performance, 400 for a bad id', async () => {
    const id = crypto.randomUUID();
    for (const path of ['stats', 'reservations']) {
      const res = await admin('GET', `/api/admin/schedules/${id}/${path}`);
      expect(res.statusCode).toBe(404);
      expect(json(res).error.code).toBe('SCHEDULE_NOT_FOUND');
      expect((await admin('GET', `/api/admin/schedules/not-a-uuid/${path}`)).statusCode).toBe(400);
    }
  });

  it('lists an empty performance as JSON', async () => {
    const concert = json(await admin('POST', '/api/admin/concerts', { title: '빈 공연', venue: '홀' }));
    const schedule = json(
      await admin('POST', `/api/admin/concerts/${concert.id}/schedules`, { dateTime: future(5), layout }),
    );
    const res = await admin('GET', `/api/admin/schedules/${schedule.id}/reservations`);
    expect(res.statusCode).toBe(200);
    expect(adminReservationListSchema.parse(json(res))).toEqual({ scheduleId: schedule.id, reservations: [] });
  });

  it('documents every admin route in /openapi.json with the bearer scheme', async () => {
    const doc = json(await t.app.inject({ url: '/openapi.json' }));
    for (const path of [
      '/api/admin/concerts',
      '/api/admin/concerts/{concertId}/schedules',
      '/api/admin/schedules/{scheduleId}/stats',
      '/api/admin/schedules/{scheduleId}/reservations',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.paths['/api/admin/concerts'].post.security).toEqual([{ adminToken: [] }]);
  });
});

describe('box office without ADMIN_TOKEN', () => {
  it('refuses every admin request: 401 without a token, 403 with any token', async () => {
    const t = await startTestApp('embedded');
    try {
      expect((await t.app.inject({ url: '/api/admin/concerts' })).statusCode).toBe(401);
      const res = await t.app.inject({ url: '/api/admin/concerts', headers: auth });
      expect(res.statusCode).toBe(403);
      expect(json(res).error.message).toContain('ADMIN_TOKEN');
    } finally {
      await t.close();
    }
  });
});
