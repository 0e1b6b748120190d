import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { columnarLayoutSchema, fromColumnar, layoutSchema } from '@seatmap/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, json, startTestApp, type TestApp } from '../support/app.ts';
import { createFixture, type Fixture } from '../support/fixtures.ts';

describe.each(await backends())('layout in columns, ?form=columns (%s)', (backend) => {
  let t: TestApp;
  let f: Fixture;

  beforeAll(async () => {
    t = await startTestApp(backend);
    f = await createFixture(t.app.context.db, {
      sections: [
        { grade: 'R', price: 150_000, rows: 4, seatsPerRow: 12 },
        { grade: 'S', price: 120_000, rows: 3, seatsPerRow: 120 },
      ],
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
  const base = () => `/api/schedules/${f.scheduleId}/layout`;

  it('carries the same layout as SPEC §9’s form, every field of every seat, in seat order', async () => {
    const full = layoutSchema.strict().parse(json(await get(base())));
    const res = await get(`${base()}?form=columns`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const columnar = columnarLayoutSchema.strict().parse(json(res));
    expect(columnar.seatCount).toBe(full.seats.length);
    expect(columnar.layoutVersion).toBe(full.layoutVersion);
    expect(Object.keys(columnar.seatColumns)).toEqual(Object.keys(full.seats[0]!));
    // The fixture's seat numbers count up per row (`A01`…); its random seat ids are a plain list.
    expect(columnar.seatColumns.seatNumber).toMatchObject({ kind: 'counted', radix: 10 });
    expect(columnar.seatColumns.id!.kind).toBe('list');
    expect(fromColumnar(columnar)).toEqual(full);
    expect(res.body.length).toBeLessThan(JSON.stringify(full).length / 2);
    // ?form=full is the default form.
    expect(json(await get(`${base()}?form=full`))).toEqual(full);
  });

  it('is cached like the layout: its own ETag, 304 on If-None-Match, immutable under ?v=, compressed', async () => {
    const { layoutVersion } = json(await get(base()));
    const res = await get(`${base()}?form=columns`);
    const etag = `"${layoutVersion}.columns"`;
    expect(res.headers.etag).toBe(etag);
    expect(res.headers['cache-control']).toBe('no-cache');
    for (const ifNoneMatch of [etag, `W/${etag}`, '*']) {
      const again = await get(`${base()}?form=columns`, { 'if-none-match': ifNoneMatch });
      expect(again.statusCode, ifNoneMatch).toBe(304);
      expect(again.body).toBe('');
    }
    // The full form's ETag names the other representation.
    expect((await get(`${base()}?form=columns`, { 'if-none-match': `"${layoutVersion}"` })).statusCode).toBe(200);
    expect((await get(base(), { 'if-none-match': etag })).statusCode).toBe(200);

    const versioned = await get(`${base()}?form=columns&v=${layoutVersion}`);
    expect(versioned.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(versioned.body).toBe(res.body);
    const stale = await get(`${base()}?v=0123456789abcdef&form=columns`);
    expect(stale.headers['cache-control']).toBe('no-cache');
    expect(stale.body).toBe(res.body);

    const br = await get(`${base()}?form=columns`, { 'accept-encoding': 'br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('accept-encoding');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(res.body);
    const gzip = await get(`${base()}?form=columns`, { 'accept-encoding': 'gzip' });
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(res.body);
  });

  it('answers 400 for an unknown form, 404 for an unknown performance', async () => {
    const bad = await get(`${base()}?form=binary`);
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.code).toBe('VALIDATION_FAILED');
    const unknown = await get('/api/schedules/00000000-0000-4000-8000-000000000000/layout?form=columns');
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown).error.code).toBe('SCHEDULE_NOT_FOUND');
  });

  it('is documented in OpenAPI: the ?form= query and both answers by name', async () => {
    const doc = json(await get('/openapi.json'));
    const op = doc.paths['/api/schedules/{scheduleId}/layout'].get;
    const form = op.parameters.find((p: { name: string }) => p.name === 'form');
    expect(form).toMatchObject({ in: 'query', schema: { enum: ['full', 'columns'] } });
    expect(op.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/LayoutAnswer');
    const answer = doc.components.schemas.LayoutAnswer;
    expect(JSON.stringify(answer)).toContain('#/components/schemas/Layout"');
    expect(JSON.stringify(answer)).toContain('#/components/schemas/ColumnarLayout"');
    expect(doc.components.schemas.ColumnarLayout.required).toEqual(
      expect.arrayContaining(['scheduleId', 'layoutVersion', 'form', 'seatCount', 'seatColumns', 'areas']),
    );
    expect(doc.components.schemas.LayoutColumn).toBeDefined();
  });
});
