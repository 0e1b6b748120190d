import { publicConfigSchema } from '@seatmap/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture } from '../support/fixtures.ts';
import { browserAvailable, buildClient, type E2eServer, launchBrowser, startServer } from './support.ts';

const run = browserAvailable();

/** How the built client is delivered: cache headers, and the limits the client reads from the server. */
describe('client delivery', () => {
  let client: Awaited<ReturnType<typeof buildClient>>;
  let server: E2eServer;
  let browser: Browser | undefined;
  let html: string;

  beforeAll(async () => {
    client = await buildClient();
    [server, browser] = await Promise.all([
      startServer(client.dir, { MAX_SEATS_PER_HOLD: 3, HOLD_TTL_SECONDS: 240 }),
      run ? launchBrowser() : undefined,
    ]);
    html = await (await fetch(`${server.url}/`)).text();
  });

  afterAll(async () => {
    await browser?.close();
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

  it('has a description and no stylesheet that blocks the first paint', () => {
    expect(html).toMatch(/<meta\s+name="description"\s+content="[^"]{40,}"/);
    expect(html).not.toMatch(/<link[^>]+rel="stylesheet"/);
    expect(html).toMatch(/<link rel="preload" as="style"[^>]* href="\/assets\/[^"]+\.css">/);
  });

  describe.runIf(run)('in a browser', () => {
    /** Every script and stylesheet the page fetched from /assets. */
    const assetsOf = (page: Page) => {
      const fetched = new Set<string>();
      page.on('request', (r) => {
        const path = new URL(r.url()).pathname;
        if (path.startsWith('/assets/')) fetched.add(path);
      });
      return fetched;
    };

    it('customers never download the box office; it comes in its own chunk when opened', async () => {
      await createFixture(server.app.context.db, { title: '청크 콘서트' });
      const page = await browser!.newPage();
      const fetched = assetsOf(page);
      await page.goto(`${server.url}/#/`);
      await page.locator('.concert-card').first().waitFor();
      // Shown only once styled: the preloaded stylesheet was applied before the app appeared.
      expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe(
        'rgb(245, 246, 250)',
      );
      const customer = new Set(fetched);
      await page.goto(`${server.url}/#/boxoffice`);
      await page.locator('#bo-token').waitFor();
      const boxOffice = [...fetched].filter((a) => !customer.has(a));
      expect(boxOffice.some((a) => a.endsWith('.js'))).toBe(true);
      expect(boxOffice.some((a) => a.endsWith('.css'))).toBe(true);
      await page.close();
    });

    it('loads the first poster at once with high priority, the others lazily', async () => {
      const db = server.app.context.db;
      for (const [title, poster] of [
        ['포스터 콘서트 하나', '/posters/iu-2024.svg'],
        ['포스터 콘서트 둘', '/posters/bts-tour.svg'],
      ] as const) {
        const { concertId } = await createFixture(db, { title });
        await db.updateTable('concerts').set({ poster_image_url: poster }).where('id', '=', concertId).execute();
      }
      const page = await browser!.newPage();
      await page.goto(`${server.url}/#/`);
      await page.locator('img.concert-card-poster').nth(1).waitFor({ state: 'attached' });
      const posters = await page
        .locator('img.concert-card-poster')
        .evaluateAll((imgs) => imgs.map((img) => [img.getAttribute('loading'), img.getAttribute('fetchpriority')]));
      expect(posters[0]).toEqual(['eager', 'high']);
      expect(posters.slice(1).every(([loading]) => loading === 'lazy')).toBe(true);
      await page.close();
    });

    it('the seat page takes its limits from the server: 3 seats per hold, held for 4 minutes', async () => {
      const fixture = await createFixture(server.app.context.db, { title: '한도 콘서트' });
      const page = await browser!.newPage();
      await page.goto(`${server.url}/#/concerts/${fixture.concertId}/schedules/${fixture.scheduleId}`);
      await page.locator('.selection-card .empty').waitFor();
      expect(await page.locator('.selection-card .count-pill').textContent()).toBe('0/3');
      expect(await page.locator('#best-count option').allTextContents()).toEqual(['1', '2', '3']);
      expect(await page.locator('.selection-card .empty').textContent()).toContain('4분');
      await page.close();
    });

    it('the seat page does not shift while it loads (CLS 0), on a desktop and a phone', async () => {
      const fixture = await createFixture(server.app.context.db, { title: '흔들림 없는 콘서트' });
      for (const viewport of [
        { width: 1280, height: 860 },
        { width: 390, height: 844 },
      ]) {
        const context = await browser!.newContext({ viewport });
        const page = await context.newPage();
        await page.addInitScript(() => {
          const w = window as unknown as { __shift: number };
          w.__shift = 0;
          new PerformanceObserver((list) => {
            for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
              if (!e.hadRecentInput) w.__shift += e.value;
            }
          }).observe({ type: 'layout-shift', buffered: true });
        });
        await page.goto(`${server.url}/#/concerts/${fixture.concertId}/schedules/${fixture.scheduleId}`);
        await page.locator('.live-badge:not(.offline)').waitFor();
        await page.evaluate(
          () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
        );
        expect(
          await page.evaluate(() => (window as unknown as { __shift: number }).__shift),
          `${viewport.width}px`,
        ).toBe(0);
        await context.close();
      }
    });
  });
});
