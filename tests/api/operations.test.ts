import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, json, startTestApp, type TestApp } from '../support/app.ts';

describe.each(await backends())('operations endpoints (%s)', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(() => t?.close());

  it('reports liveness and readiness with the mode', async () => {
    expect(json(await t.app.inject({ method: 'GET', url: '/health/live' }))).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(json(ready)).toEqual({
      status: 'ok',
      checks: { database: 'ok', holdStore: 'ok' },
      mode: backend === 'real' ? { database: 'postgres', holds: 'redis' } : { database: 'pglite', holds: 'memory' },
    });
  });

  it('generates OpenAPI from the route schemas', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = json(res);
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/concerts',
      '/api/concerts/{concertId}',
      '/api/concerts/{concertId}/schedules',
      '/api/schedules/{scheduleId}/seats',
      '/api/schedules/{scheduleId}/holds',
      '/api/holds/{holdId}',
      '/api/reservations',
      '/api/reservations/lookup',
      '/api/reservations/{reservationNumber}/cancel',
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    const hold = doc.paths['/api/schedules/{scheduleId}/holds'].post;
    expect(Object.keys(hold.responses)).toEqual(expect.arrayContaining(['201', '400', '404', '409']));
    const docs = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });
});
