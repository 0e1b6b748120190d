import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { backends, json, startTestApp, startTestCluster } from '../support/app.ts';
import { createFixture, type Fixture } from '../support/fixtures.ts';

const ADMIN_TOKEN = 'rate-limit-test-admin-token';

/**
 * Per-client limits counted once for the whole cluster (Redis; in-process when embedded): writes, failed box-office
 * tokens (HTTP and /boxoffice), new live connections (Socket.IO and the plain feed). Requests come from 127.0.0.1,
 * which TRUST_PROXY names as the proxy, so X-Forwarded-For says which client each one is.
 */
describe.each(await backends())('per-client limits shared by every node (%s)', (backend) => {
  let nodes: FastifyInstance[];
  let urls: string[];
  let close: () => Promise<void>;
  let f: Fixture;
  const sockets: Socket[] = [];
  let turn = 0;
  const next = () => turn++ % nodes.length;
  const config = {
    TRUST_PROXY: '127.0.0.1',
    RATE_LIMIT_PER_MINUTE: 10,
    LIVE_CONNECTS_PER_MINUTE: 12,
    ADMIN_TOKEN,
  };

  beforeAll(async () => {
    if (backend === 'real') {
      const cluster = await startTestCluster(2, config);
      ({ nodes, urls, close } = cluster);
    } else {
      const t = await startTestApp(backend, config);
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      nodes = [t.app];
      urls = [`http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`];
      close = t.close;
    }
    f = await createFixture(nodes[0]!.context.db);
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await close?.();
  });

  const write = (client: string) =>
    nodes[next()]!.inject({
      method: 'POST',
      url: '/api/reservations/lookup',
      payload: {},
      headers: { 'x-forwarded-for': client },
    });
  const admin = (client: string, token: string) =>
    nodes[next()]!.inject({
      method: 'GET',
      url: '/api/admin/concerts',
      headers: { 'x-forwarded-for': client, authorization: `Bearer ${token}` },
    });

  /** Resolves with the connect_error (or 'connected'). */
  function socketOutcome(client: string, options: { nsp?: string; token?: string; websocket?: boolean } = {}) {
    const socket = connect(`${urls[next()]}${options.nsp ?? ''}`, {
      transports: options.websocket ? ['websocket'] : ['polling'],
      extraHeaders: { 'x-forwarded-for': client },
      auth: options.token ? { token: options.token } : {},
      reconnection: false,
      forceNew: true,
      timeout: 10_000,
    });
    sockets.push(socket);
    return new Promise<'connected' | (Error & { data?: { code?: string }; description?: unknown })>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (err) => resolve(err));
    });
  }

  function feedOutcome(client: string) {
    const ws = new WebSocket(`${urls[next()]!.replace('http', 'ws')}/api/schedules/${f.scheduleId}/live`, {
      headers: { 'x-forwarded-for': client },
    });
    ws.on('error', () => {});
    return new Promise<number>((resolve) => {
      ws.once('open', () => {
        ws.close();
        resolve(101);
      });
      ws.once('unexpected-response', (req, res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
    });
  }

  it('counts writes once for all nodes: the 11th of a minute gets 429 + Retry-After, another client does not', async () => {
    for (let i = 0; i < 10; i++) expect((await write('203.0.113.10')).statusCode).toBe(400);
    const limited = await write('203.0.113.10');
    expect(limited.statusCode).toBe(429);
    expect(json(limited).error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await write('203.0.113.11')).statusCode).toBe(400);
  });

  it('takes the address the proxy saw, not a forged leftmost X-Forwarded-For entry', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await write(`10.9.8.${i}, 192.0.2.${i}, 203.0.113.20`)).statusCode).toBe(400);
    }
    expect((await write('6.6.6.6, 203.0.113.20')).statusCode).toBe(429);
  });

  it('refuses an address after 10 failed box-office tokens, even with the right token; others still sign in', async () => {
    for (let i = 0; i < 10; i++) {
      expect([401, 403]).toContain((await admin('203.0.113.30', `wrong-token-${i}`)).statusCode);
    }
    const limited = await admin('203.0.113.30', ADMIN_TOKEN);
    expect(limited.statusCode).toBe(429);
    expect(json(limited).error.code).toBe('RATE_LIMITED');
    expect((await admin('203.0.113.31', ADMIN_TOKEN)).statusCode).toBe(200);
    // The /boxoffice namespace is behind the same count.
    const err = await socketOutcome('203.0.113.30', { nsp: '/boxoffice', token: ADMIN_TOKEN, websocket: true });
    expect(err).not.toBe('connected');
    expect((err as { data?: { code?: string } }).data?.code).toBe('RATE_LIMITED');
  });

  it('concurrent wrong tokens get 10 tries between them, over HTTP and /boxoffice, on any node', async () => {
    const http = await Promise.all(Array.from({ length: 30 }, (_, i) => admin('203.0.113.32', `guess-${i}-xxxxxxxx`)));
    const codes = http.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 403)).toHaveLength(10);
    expect(codes.filter((c) => c === 429)).toHaveLength(20);
    // 12: the most new live connections one address may open a minute here.
    const sockets = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        socketOutcome('203.0.113.33', { nsp: '/boxoffice', token: `guess-${i}-xxxxxxxx`, websocket: true }),
      ),
    );
    const refusals = sockets.map((err) => (err as { data?: { code?: string } }).data?.code);
    expect(refusals.filter((c) => c === 'FORBIDDEN')).toHaveLength(10);
    expect(refusals.filter((c) => c === 'RATE_LIMITED')).toHaveLength(2);
  });

  it('counts a box-office route however its URL is spelled', async () => {
    const client = '203.0.113.34';
    const spelled = (token: string) =>
      nodes[next()]!.inject({
        method: 'GET',
        url: '/api/%61dmin/concerts',
        headers: { 'x-forwarded-for': client, authorization: `Bearer ${token}` },
      });
    for (let i = 0; i < 10; i++) expect((await spelled(`wrong-token-${i}`)).statusCode).toBe(403);
    expect((await spelled(ADMIN_TOKEN)).statusCode).toBe(429);
    expect((await admin(client, ADMIN_TOKEN)).statusCode).toBe(429);
  });

  it('counts failed /boxoffice handshakes like failed HTTP tokens', async () => {
    for (let i = 0; i < 10; i++) {
      const err = await socketOutcome('203.0.113.40', {
        nsp: '/boxoffice',
        token: `wrong-token-${i}`,
        websocket: true,
      });
      expect((err as { data?: { code?: string } }).data?.code).toBe('FORBIDDEN');
    }
    expect((await admin('203.0.113.40', ADMIN_TOKEN)).statusCode).toBe(429);
    const err = await socketOutcome('203.0.113.40', { nsp: '/boxoffice', token: ADMIN_TOKEN, websocket: true });
    expect((err as { data?: { code?: string } }).data?.code).toBe('RATE_LIMITED');
  });

  it('refuses the 13th new live connection of a minute (Socket.IO polling, WebSocket and the plain feed together)', async () => {
    const client = '203.0.113.50';
    for (let i = 0; i < 4; i++) {
      expect(await socketOutcome(client)).toBe('connected');
      expect(await socketOutcome(client, { websocket: true })).toBe('connected');
      expect(await feedOutcome(client)).toBe(101);
    }
    // Over the limit: the polling handshake is answered 429, the WebSocket upgrade too, the feed too.
    const polling = await socketOutcome(client);
    expect(polling).not.toBe('connected');
    expect((polling as { description?: unknown }).description).toBe(429);
    expect(await socketOutcome(client, { websocket: true })).not.toBe('connected');
    expect(await feedOutcome(client)).toBe(429);
    // Another client is not affected.
    expect(await socketOutcome('203.0.113.51', { websocket: true })).toBe('connected');
    expect(await feedOutcome('203.0.113.51')).toBe(101);
  });
});
