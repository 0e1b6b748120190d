import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { json, startTestApp, type TestApp } from '../support/app.ts';

/**
 * Load shedding forced without burning CPU: a heap bound of 1 MB is always passed, so once @fastify/under-pressure
 * has taken its first sample the node is "overloaded" for as long as the test runs.
 */
describe('load shedding under pressure', () => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp('embedded', { SHED_HEAP_USED_MB: 1 });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    base = `127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    await vi.waitFor(async () => expect((await t.app.inject({ url: '/api/concerts' })).statusCode).toBe(503), {
      timeout: 15_000,
      interval: 50,
    });
  });
  afterAll(() => t?.close());

  it('answers API requests 503 SERVICE_UNAVAILABLE with Retry-After at once', async () => {
    for (const req of [
      { method: 'GET' as const, url: '/api/concerts' },
      { method: 'POST' as const, url: '/api/reservations/lookup', payload: { phone: '010-1234-5678', name: 'x' } },
    ]) {
      const res = await t.app.inject(req);
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('3');
      expect(json(res).error.code).toBe('SERVICE_UNAVAILABLE');
      // Still a response with the security headers.
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('never sheds health checks, metrics or docs', async () => {
    expect((await t.app.inject({ url: '/health/live' })).statusCode).toBe(200);
    const ready = await t.app.inject({ url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(json(ready).status).toBe('ok');
    expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/openapi.json' })).statusCode).toBe(200);
  });

  it('refuses a live feed upgrade with 503 and closes its socket', async () => {
    const ws = new WebSocket(`ws://${base}/api/schedules/${crypto.randomUUID()}/live`);
    ws.on('error', () => {});
    const answer = await new Promise<{ status?: number; closed: Promise<unknown> }>((resolve) => {
      ws.once('open', () => resolve({ status: 101, closed: Promise.resolve() }));
      ws.once('unexpected-response', (req, res) => {
        res.resume();
        // The server closes the socket after its answer (the client does not have to).
        resolve({ status: res.statusCode, closed: new Promise((closed) => req.socket?.once('close', closed)) });
      });
    });
    expect(answer.status).toBe(503);
    await answer.closed;
  });
});
