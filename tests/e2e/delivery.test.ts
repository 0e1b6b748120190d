import { publicConfigSchema } from '@seatmap/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClient, type E2eServer, startServer } from './support.ts';

/** How the built client is delivered: cache headers, and the limits the client reads from the server. */
describe('client delivery', () => {
  let client: Awaited<ReturnType<typeof buildClient>>;
  let server: E2eServer;
  let html: string;

  beforeAll(async () => {
    client = await buildClient();
    server = await startServer(client.dir, { MAX_SEATS_PER_HOLD: 3, HOLD_TTL_SECONDS: 240 });
    html = await (await fetch(`${server.url}/`)).text();
  });

  afterAll(async () => {
    await server?.close();
    await client?.remove();
  });

  const assets = () => [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);

  it('serves fingerprinted assets immutable for a year and index.html revalidated', async () => {
    const index = await fetch(`${server.url}/`);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    // A client route answered with index.html (SPA fallback) is revalidated too.
    const deep = await fetch(`${server.url}/concerts/x`, { headers: { accept: 'text/html' } });
    expect(deep.status).toBe(200);
    expect(deep.headers.get('cache-control')).toBe('no-cache');
    expect(assets().length).toBeGreaterThanOrEqual(2);
    for (const asset of assets()) {
      const res = await fetch(`${server.url}${asset}`);
      expect(res.status, asset).toBe(200);
      expect(res.headers.get('cache-control'), asset).toBe('public, max-age=31536000, immutable');
    }
  });

  it('answers the customer limits from the server configuration', async () => {
    const res = await fetch(`${server.url}/api/config`);
    expect(res.status).toBe(200);
    expect(publicConfigSchema.strict().parse(await res.json())).toEqual({ maxSeatsPerHold: 3, holdTtlSeconds: 240 });
  });
});
