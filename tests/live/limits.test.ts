import { request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ClientSocket,
  connected,
  embedded,
  feedClient,
  socketClient,
  startNode,
  type TestNode,
  waitFor,
} from './support.ts';

async function embeddedNode(config: Parameters<typeof startNode>[0]['config'] = {}) {
  const { bus, directory } = embedded();
  return { bus, directory, node: await startNode({ bus, directory, config }) };
}

/** The connect_error a refused Socket.IO client sees. */
function refusal(socket: ClientSocket): Promise<{ message: string; code?: string }> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected')));
    socket.once('connect_error', (err: Error & { data?: { code?: string } }) =>
      resolve({ message: err.message, code: err.data?.code }),
    );
  });
}

describe('live connection limits per client address (MAX_CONNECTIONS_PER_IP)', () => {
  const nodes: TestNode[] = [];
  const sockets: ClientSocket[] = [];
  const closers: (() => void)[] = [];
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    for (const close of closers) close();
    for (const node of nodes) await node.app.close();
  });

  const socket = (node: TestNode, headers?: Record<string, string>) => {
    const s = socketClient(node.url, { headers });
    sockets.push(s);
    return s;
  };
  const feed = (node: TestNode, scheduleId: string, headers: Record<string, string> = {}) => {
    const f = feedClient(node.url, scheduleId, headers);
    closers.push(() => f.ws.close());
    return f;
  };

  it('counts feeds and Socket.IO together: the 51st from one address is refused (429 / RATE_LIMITED)', async () => {
    const { node, directory } = await embeddedNode();
    nodes.push(node);
    const { scheduleId } = directory.addSchedule(2);
    const feeds = Array.from({ length: 25 }, () => feed(node, scheduleId));
    await Promise.all(feeds.map((f) => f.opened));
    const open = Array.from({ length: 25 }, () => socket(node));
    await Promise.all(open.map(connected));

    const refusedFeed = feed(node, scheduleId);
    const err = (await refusedFeed.opened.then(
      () => null,
      (e: unknown) => e,
    )) as { status?: number } | null;
    expect(err?.status).toBe(429);
    expect(await refusal(socket(node))).toEqual({ message: 'RATE_LIMITED', code: 'RATE_LIMITED' });
    expect(node.live.counters().refusedTotal).toBe(2);

    // A closed connection gives its slot back.
    open[0]!.disconnect();
    await waitFor(() => node.live.counters().sockets === 24, undefined, 'the slot back');
    await expect(connected(socket(node))).resolves.toBeUndefined();
  });

  it('answers the refused upgrade in the SPEC error shape with Retry-After', async () => {
    const { node, directory } = await embeddedNode({ MAX_CONNECTIONS_PER_IP: 1 });
    nodes.push(node);
    const { scheduleId } = directory.addSchedule(1);
    await feed(node, scheduleId).opened;
    // A raw upgrade request, to read the refusal's headers and body.
    const res = await new Promise<{ status?: number; retryAfter?: string; body: string }>((resolve, reject) => {
      const req = request(`${node.url}/api/schedules/${scheduleId}/live`, {
        headers: {
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        },
      });
      req.on('response', (response) => {
        let body = '';
        response.on('data', (chunk) => {
          body += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode, retryAfter: response.headers['retry-after'], body }),
        );
      });
      req.on('upgrade', () => reject(new Error('upgraded')));
      req.on('error', reject);
      req.end();
    });
    expect(res.status).toBe(429);
    expect(res.retryAfter).toBe('5');
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'RATE_LIMITED' } });
  });

  it('behind a trusted proxy counts the forwarded client address, and ignores it otherwise', async () => {
    const trusted = await embeddedNode({ MAX_CONNECTIONS_PER_IP: 2, TRUST_PROXY: '127.0.0.1' });
    const direct = await embeddedNode({ MAX_CONNECTIONS_PER_IP: 2 });
    nodes.push(trusted.node, direct.node);
    const one = { 'x-forwarded-for': '203.0.113.1' };
    const two = { 'x-forwarded-for': '203.0.113.2' };

    await Promise.all([socket(trusted.node, one), socket(trusted.node, one)].map(connected));
    expect((await refusal(socket(trusted.node, one))).code).toBe('RATE_LIMITED');
    await expect(connected(socket(trusted.node, two))).resolves.toBeUndefined();
    const { scheduleId } = trusted.directory.addSchedule(1);
    await feed(trusted.node, scheduleId, two).opened;
    expect(await feed(trusted.node, scheduleId, two).opened.catch((e: { status?: number }) => e.status)).toBe(429);

    // Without TRUST_PROXY the header is anyone's to write: every connection here is 127.0.0.1.
    await Promise.all([socket(direct.node, one), socket(direct.node, two)].map(connected));
    expect((await refusal(socket(direct.node, { 'x-forwarded-for': '203.0.113.3' }))).code).toBe('RATE_LIMITED');
  });
});
