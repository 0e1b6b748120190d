import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { concertDetailSchema, concertListSchema, scheduleListSchema, seatMapSchema } from '@seatmap/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, json, startTestApp, type TestApp } from '../support/app.ts';
import { createFixture, type Fixture } from '../support/fixtures.ts';

describe.each(await backends())('browse API (%s)', (backend) => {
  let t: TestApp;
  let upcoming: Fixture;
  let past: Fixture;

  beforeAll(async () => {
    t = await startTestApp(backend);
    const db = t.app.context.db;
    past = await createFixture(db, { title: '지난 공연', startsInMinutes: -60 });
    upcoming = await createFixture(db, { title: '다가오는 공연', startsInMinutes: 3 * 24 * 60 });
    // A second performance of the same concert the next day.
    await createFixture(db, { concertId: upcoming.concertId, startsInMinutes: 4 * 24 * 60 });
  });
  afterAll(() => t?.close());

  it('lists only concerts with a future performance, with the next date', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/concerts' });
    expect(res.statusCode).toBe(200);
    const body = concertListSchema.parse(json(res));
    const ids = body.concerts.map((c) => c.id);
    expect(ids).toContain(upcoming.concertId);
    expect(ids).not.toContain(past.concertId);
    const concert = body.concerts.find((c) => c.id === upcoming.concertId)!;
    expect(concert.venue).toBe('테스트 홀');
    expect(concert.nextDateTime).toMatch(/\+09:00$/);
  });

  it('gives a concert with its venue-local bookable dates, ascending', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/concerts/${upcoming.concertId}` });
    expect(res.statusCode).toBe(200);
    const body = concertDetailSchema.parse(json(res));
    expect(body.timezone).toBe('Asia/Seoul');
    expect(body.dates).toHaveLength(2);
    expect([...body.dates].sort()).toEqual(body.dates);
  });

  it('lists the performances of a date with available and total seats', async () => {
    const concert = json(await t.app.inject({ method: 'GET', url: `/api/concerts/${upcoming.concertId}` }));
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/concerts/${upcoming.concertId}/schedules?date=${concert.dates[0]}`,
    });
    expect(res.statusCode).toBe(200);
    const body = scheduleListSchema.parse(json(res));
    expect(body.schedules).toHaveLength(1);
    expect(body.schedules[0]).toMatchObject({ id: upcoming.scheduleId, availableSeats: 60, totalSeats: 60 });

    // A hold makes seats unavailable at once.
    const hold = await t.app.inject({
      method: 'POST',
      url: `/api/schedules/${upcoming.scheduleId}/holds`,
      payload: { seatIds: [upcoming.seats.A01, upcoming.seats.A02] },
    });
    expect(hold.statusCode).toBe(201);
    const after = json(
      await t.app.inject({
        method: 'GET',
        url: `/api/concerts/${upcoming.concertId}/schedules?date=${concert.dates[0]}`,
      }),
    );
    expect(after.schedules[0].availableSeats).toBe(58);
  });

  it('requires a valid date and a known concert', async () => {
    const noDate = await t.app.inject({ method: 'GET', url: `/api/concerts/${upcoming.concertId}/schedules` });
    expect(noDate.statusCode).toBe(400);
    expect(json(noDate).error.code).toBe('VALIDATION_FAILED');
    const badDate = await t.app.inject({
      method: 'GET',
      url: `/api/concerts/${upcoming.concertId}/schedules?date=2026-13-45`,
    });
    expect(badDate.statusCode).toBe(400);
    const unknown = await t.app.inject({ method: 'GET', url: '/api/concerts/00000000-0000-4000-8000-000000000000' });
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown).error.code).toBe('CONCERT_NOT_FOUND');
    const notUuid = await t.app.inject({ method: 'GET', url: '/api/concerts/not-a-uuid' });
    expect(notUuid.statusCode).toBe(400);
    expect(json(notUuid).error.details.issues[0].path).toContain('concertId');
  });

  it('serves the seat map with version and statuses', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/schedules/${upcoming.scheduleId}/seats` });
    expect(res.statusCode).toBe(200);
    const map = seatMapSchema.parse(json(res));
    expect(map.seats).toHaveLength(60);
    expect(map.version).toBeGreaterThanOrEqual(2); // the two seats held above
    const a01 = map.seats.find((s) => s.id === upcoming.seats.A01)!;
    expect(a01).toMatchObject({ seatNumber: 'A01', row: 'A', grade: 'R', price: 150_000, status: 'held' });
    expect(map.seats.find((s) => s.seatNumber === 'D01')).toMatchObject({ grade: 'S', status: 'available' });
  });

  it('serves the seat map compressed, and a change moves it to a new version at once', async () => {
    const get = (encoding: string) =>
      t.app.inject({
        method: 'GET',
        url: `/api/schedules/${upcoming.scheduleId}/seats`,
        headers: { 'accept-encoding': encoding },
      });
    const plain = await get('identity');
    const br = await get('br');
    const gz = await get('gzip');
    expect(br.headers['content-encoding']).toBe('br');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    expect(gunzipSync(gz.rawPayload).toString()).toBe(plain.body);

    const before = seatMapSchema.parse(json(plain));
    const hold = await t.app.inject({
      method: 'POST',
      url: `/api/schedules/${upcoming.scheduleId}/holds`,
      payload: { seatIds: [upcoming.seats.C05] },
    });
    expect(hold.statusCode).toBe(201);
    const after = seatMapSchema.parse(JSON.parse(brotliDecompressSync((await get('br')).rawPayload).toString()));
    expect(after.version).toBe(before.version + 1);
    expect(after.seats.find((s) => s.id === upcoming.seats.C05)?.status).toBe('held');
  });

  it('answers 404 for an unknown performance', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/schedules/00000000-0000-4000-8000-000000000000/seats' });
    expect(res.statusCode).toBe(404);
    expect(json(res).error.code).toBe('SCHEDULE_NOT_FOUND');
  });
});
