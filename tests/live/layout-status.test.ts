import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { layoutSchema, scheduleStatusSchema, seatMapSchema } from '@seatmap/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, json, startTestApp, type TestApp } from '../support/app.ts';
import { createFixture, type Fixture } from '../support/fixtures.ts';

const CHAR = { available: 'a', held: 'h', reserved: 'r' } as const;
const customer = { name: '김민준', phone: '010-1234-5678' };

describe.each(await backends())('layout and compact status (%s)', (backend) => {
  let t: TestApp;
  let f: Fixture;

  beforeAll(async () => {
    t = await startTestApp(backend);
    f = await createFixture(t.app.context.db);
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
  const hold = async (seatIds: string[]) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/schedules/${f.scheduleId}/holds`,
      payload: { seatIds },
    });
    expect(res.statusCode).toBe(201);
    return json(res).holdId as string;
  };

  it('serves the layout in seat order with an ETag, 304 on If-None-Match, immutable under ?v=', async () => {
    const res = await get(`/api/schedules/${f.scheduleId}/layout`);
    expect(res.statusCode).toBe(200);
    const layout = layoutSchema.strict().parse(json(res));
    expect(layout.scheduleId).toBe(f.scheduleId);
    expect(layout.areas).toEqual([]);
    expect(layout.seats.every((s) => s.accessible === false && s.companion === false)).toBe(true);
    // The same seats, in the same order, as part one's seat map.
    const map = seatMapSchema.parse(json(await get(`/api/schedules/${f.scheduleId}/seats`)));
    expect(layout.seats.map(({ accessible: _a, companion: _c, ...seat }) => seat)).toEqual(
      map.seats.map(({ status: _s, ...seat }) => seat),
    );
    const etag = `"${layout.layoutVersion}"`;
    expect(res.headers.etag).toBe(etag);
    expect(res.headers['cache-control']).toBe('no-cache');

    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await get(`/api/schedules/${f.scheduleId}/layout`, { 'if-none-match': ifNoneMatch });
      expect(again.statusCode, ifNoneMatch).toBe(304);
      expect(again.body).toBe('');
    }
    expect((await get(`/api/schedules/${f.scheduleId}/layout`, { 'if-none-match': '"other"' })).statusCode).toBe(200);

    const versioned = await get(`/api/schedules/${f.scheduleId}/layout?v=${layout.layoutVersion}`);
    expect(versioned.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(json(versioned)).toEqual(layout);
    // A URL naming another layout version is not promised to anyone for a year.
    const stale = await get(`/api/schedules/${f.scheduleId}/layout?v=0123456789abcdef`);
    expect(stale.headers['cache-control']).toBe('no-cache');

    const br = await get(`/api/schedules/${f.scheduleId}/layout`, { 'accept-encoding': 'br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString())).toEqual(layout);
  });

  it('answers status with one character per seat that equals /seats seat by seat, at the same version', async () => {
    await hold([f.seats.A01!, f.seats.A02!]);
    const booked = await hold([f.seats.B05!]);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/reservations', payload: { holdId: booked, customer } }))
        .statusCode,
    ).toBe(201);
    const released = await hold([f.seats.C10!]);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/holds/${released}` })).statusCode).toBe(204);

    const status = scheduleStatusSchema.strict().parse(json(await get(`/api/schedules/${f.scheduleId}/status`)));
    const map = seatMapSchema.parse(json(await get(`/api/schedules/${f.scheduleId}/seats`)));
    const layout = layoutSchema.parse(json(await get(`/api/schedules/${f.scheduleId}/layout`)));
    expect(status.version).toBe(map.version);
    expect(status.layoutVersion).toBe(layout.layoutVersion);
    expect(status.statuses).toHaveLength(map.seats.length);
    expect([...status.statuses]).toEqual(map.seats.map((s) => CHAR[s.status]));
    expect(status.statuses.match(/h/g)).toHaveLength(2);
    expect(status.statuses.match(/r/g)).toHaveLength(1);

    const gzip = await get(`/api/schedules/${f.scheduleId}/status`, { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gzip.rawPayload).toString())).toEqual(status);
    expect(gzip.headers['cache-control']).toBe('no-store');
  });

  it('is never older than the version that moved just before the request', async () => {
    for (let i = 1; i <= 5; i++) {
      const before = json(await get(`/api/schedules/${f.scheduleId}/status`)).version as number;
      await hold([f.row('D')[10 - i]!]);
      const after = scheduleStatusSchema.parse(json(await get(`/api/schedules/${f.scheduleId}/status`)));
      expect(after.version).toBe(before + 1);
    }
  });

  it('answers 404 for an unknown performance and 400 for a malformed id', async () => {
    for (const path of ['layout', 'status']) {
      const unknown = await get(`/api/schedules/00000000-0000-4000-8000-000000000000/${path}`);
      expect(unknown.statusCode).toBe(404);
      expect(json(unknown).error.code).toBe('SCHEDULE_NOT_FOUND');
      const bad = await get(`/api/schedules/not-a-uuid/${path}`);
      expect(bad.statusCode).toBe(400);
      expect(json(bad).error.code).toBe('VALIDATION_FAILED');
    }
  });
});
