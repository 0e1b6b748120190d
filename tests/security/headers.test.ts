import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../server/src/config.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

/** Directives of a CSP header, by name. */
function directives(header: string | string[] | number | undefined): Record<string, string[]> {
  return Object.fromEntries(
    String(header)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name, values]),
  );
}

type App = TestApp['app'];
let apps: TestApp[] = [];
/** Behind one trusted proxy, with a CORS list and a small write limit. */
let proxied: App;
/** Production defaults, reached directly (the peer is not the named proxy). */
let production: App;
/** Development defaults. */
let development: App;
let clientDir: string;

beforeAll(async () => {
  clientDir = await mkdtemp(path.join(tmpdir(), 'seatmap-headers-'));
  await writeFile(path.join(clientDir, 'index.html'), '<!doctype html><title>t</title><div id="app"></div>');
  const configs: Partial<Config>[] = [
    { TRUST_PROXY: '1', CORS_ORIGINS: 'https://tickets.example, https://box.example/', RATE_LIMIT_PER_MINUTE: 3 },
    {
      NODE_ENV: 'production',
      ADMIN_TOKEN: 'production-admin-token',
      TRUST_PROXY: '10.0.0.1',
      RATE_LIMIT_PER_MINUTE: 3,
    },
    {},
  ];
  apps = await Promise.all(configs.map((c) => startTestApp('embedded', c, { clientDir })));
  [proxied, production, development] = apps.map((t) => t.app) as [App, App, App];
  // Three embedded databases start at once: on a busy 2-core machine that takes a while.
}, 300_000);
afterAll(async () => {
  for (const t of apps) await t.close();
  await rm(clientDir, { recursive: true, force: true });
});

describe('security headers', () => {
  it('every response — API, page, error — carries CSP, frame-ancestors none, nosniff and no referrer', async () => {
    for (const a of [proxied, production, development]) {
      for (const req of [
        { url: '/api/concerts' },
        { url: '/concerts/x', headers: { accept: 'text/html' } },
        { url: '/api/nothing-here' },
        { url: '/health/live' },
      ]) {
        const res = await a.inject({ method: 'GET', ...req });
        const csp = directives(res.headers['content-security-policy']);
        expect(csp['default-src'], req.url).toEqual(["'self'"]);
        expect(csp['script-src']).toEqual(["'self'"]);
        expect(csp['style-src']).toEqual(["'self'"]);
        expect(csp['frame-ancestors']).toEqual(["'none'"]);
        expect(csp['object-src']).toEqual(["'none'"]);
        expect(res.headers['x-frame-options']).toBe('DENY');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        expect(res.headers['strict-transport-security']).toBeUndefined();
      }
    }
  });

  it('gives /docs its own policy: inline styles for Swagger UI, still no inline script, still unframeable', async () => {
    const a = development;
    const res = await a.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    const csp = directives(res.headers['content-security-policy']);
    expect(csp['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    const api = directives(
      (await a.inject({ method: 'GET', url: '/openapi.json' })).headers['content-security-policy'],
    );
    expect(api['style-src']).toEqual(["'self'"]);
  });

  it('sends HSTS only when a trusted proxy says the request came over TLS', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    const trusted = proxied;
    expect((await trusted.inject({ url: '/api/concerts', headers: https })).headers['strict-transport-security']).toBe(
      'max-age=31536000; includeSubDomains',
    );
    expect((await trusted.inject({ url: '/api/concerts' })).headers['strict-transport-security']).toBeUndefined();
    // The peer (127.0.0.1) is not the named proxy, or nobody is trusted: X-Forwarded-Proto is the client's word.
    for (const untrusted of [production, development]) {
      const res = await untrusted.inject({ url: '/api/concerts', headers: https });
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });
});

describe('CORS', () => {
  const preflight = (origin: string, method = 'PATCH') => ({
    method: 'OPTIONS' as const,
    url: '/api/holds/abc',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'content-type' },
  });

  it('answers preflights for the listed origins only, with every method the API uses', async () => {
    const a = proxied;
    const ok = await a.inject(preflight('https://box.example', 'DELETE'));
    expect(ok.statusCode).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe('https://box.example');
    expect(String(ok.headers['access-control-allow-methods'])).toContain('PATCH');
    expect(String(ok.headers['access-control-allow-methods'])).toContain('DELETE');
    const foreign = await a.inject(preflight('https://evil.example'));
    expect(foreign.statusCode).toBe(204);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    const read = await a.inject({ url: '/api/concerts', headers: { origin: 'https://evil.example' } });
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
    const allowed = await a.inject({ url: '/api/concerts', headers: { origin: 'https://tickets.example' } });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://tickets.example');
    expect(String(allowed.headers['access-control-expose-headers'])).toContain('Retry-After');
  });

  it('allows no other site by default in production, and any in development', async () => {
    const refused = await production.inject(preflight('https://evil.example'));
    expect(refused.statusCode).toBe(204);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    expect((await development.inject(preflight('http://localhost:5173'))).headers['access-control-allow-origin']).toBe(
      '*',
    );
  });
});

describe('TRUST_PROXY', () => {
  const write = (a: App, forwardedFor: string) =>
    a.inject({
      method: 'POST',
      url: '/api/reservations/lookup',
      payload: {},
      headers: { 'x-forwarded-for': forwardedFor },
    });

  it('with a hop count takes the address the proxy appended, never a forged leftmost entry', async () => {
    const a = proxied;
    for (let i = 0; i < 3; i++) expect((await write(a, `10.0.0.${i}, 203.0.113.7`)).statusCode).toBe(400);
    expect((await write(a, '192.0.2.99, 203.0.113.7')).statusCode).toBe(429);
    expect((await write(a, '203.0.113.8')).statusCode).toBe(400);
  });

  it('from a peer that is not the named proxy, X-Forwarded-For is ignored and the peer is the client', async () => {
    const a = production;
    for (let i = 0; i < 3; i++) expect((await write(a, `203.0.113.${i}`)).statusCode).toBe(400);
    expect((await write(a, '203.0.113.200')).statusCode).toBe(429);
  });
});
