import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../support/fixtures.ts';
import { expectMapEqualsSeats, type MapHook, resyncs, watchSeatTraffic } from './seat-traffic.ts';
import { browserAvailable, buildClient, type E2eServer, launchBrowser, startServer } from './support.ts';

const run = browserAvailable();

describe.runIf(run)('seat page: layout once, compact status for the snapshot and every resync (SPEC §9)', () => {
  let client: Awaited<ReturnType<typeof buildClient>>;
  let server: E2eServer;
  let browser: Browser;
  let fixture: Fixture;
  let context: BrowserContext;

  beforeAll(async () => {
    client = await buildClient();
    [server, browser] = await Promise.all([startServer(client.dir), launchBrowser()]);
    fixture = await createFixture(server.app.context.db, { title: '레이아웃 콘서트' });
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    // A build of its own is removed here; a build shared by the run has no `remove` and outlives this file.
    await (client as { remove?: () => Promise<void> } | undefined)?.remove?.();
  });

  const hold = async (seatId: string) => {
    const res = await fetch(`${server.url}/api/schedules/${fixture.scheduleId}/holds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seatIds: [seatId] }),
    });
    expect(res.status).toBe(201);
  };
  const pageUrl = () => `${server.url}/#/concerts/${fixture.concertId}/schedules/${fixture.scheduleId}`;

  it('loads the layout once beside the status and keeps it at ?v=; a gap and a reconnect fetch the status only', async () => {
    await hold(fixture.seats.A05!);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const traffic = await watchSeatTraffic(page);
    await page.goto(pageUrl());
    await page.locator('.live-badge:not(.offline)').waitFor();
    await expectMapEqualsSeats(page, server.url, fixture.scheduleId);

    const { layoutVersion } = (await (
      await fetch(`${server.url}/api/schedules/${fixture.scheduleId}/status`)
    ).json()) as {
      layoutVersion: string;
    };
    // The current layout in columns beside the status, then (idle) at its versioned URL for the next visit.
    const layoutUrl = `${server.url}/api/schedules/${fixture.scheduleId}/layout?form=columns`;
    await expect.poll(() => traffic.layout.length, { timeout: 15_000 }).toBe(2);
    expect(traffic.layout).toEqual([layoutUrl, `${layoutUrl}&v=${layoutVersion}`]);
    expect(traffic.status).toBe(1);
    expect(traffic.seats).toBe(0);
    expect(await resyncs(page)).toBe(1);
    // A concert without a waiting room: the check ran beside the seat data, not before it (no queue-page detour).
    const timing = await page.evaluate(() =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((e) => /\/(queue|status)$/.test(new URL(e.name).pathname))
        .map((e) => ({ kind: new URL(e.name).pathname.split('/').pop(), start: e.startTime, end: e.responseEnd })),
    );
    const queue = timing.find((e) => e.kind === 'queue')!;
    const status = timing.find((e) => e.kind === 'status')!;
    expect(status.start).toBeLessThan(queue.end);
    expect(page.url()).not.toContain('/queue');

    // A lost event: the next one shows the gap, and the page refetches the status alone.
    traffic.drop = 1;
    await hold(fixture.seats.B03!);
    await expect.poll(() => traffic.drop, { timeout: 10_000 }).toBe(0);
    await hold(fixture.seats.C07!);
    await page.waitForFunction(() => (window as unknown as { __seatmap: MapHook }).__seatmap.resyncs() === 2);
    await expectMapEqualsSeats(page, server.url, fixture.scheduleId);
    expect(traffic.status).toBe(2);

    // A reconnect: the rejoin resyncs, again with the status alone.
    traffic.cut();
    await page.waitForFunction(() => (window as unknown as { __seatmap: MapHook }).__seatmap.resyncs() === 3);
    await page.locator('.live-badge:not(.offline)').waitFor();
    await hold(fixture.seats.A08!);
    await expectMapEqualsSeats(page, server.url, fixture.scheduleId);
    expect(traffic.status).toBe(3);
    expect(traffic.layout).toHaveLength(2);
    expect(traffic.seats).toBe(0);
    await page.close();
  });

  it('a reload takes the layout from the browser’s cache (immutable) and the status from the server', async () => {
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const kept = page.waitForResponse((r) => /\/layout\?form=columns&v=/.test(r.url()));
    await page.goto(pageUrl());
    await page.locator('.live-badge:not(.offline)').waitFor();
    await (await kept).finished();
    await page.reload();
    await page.locator('.live-badge:not(.offline)').waitFor();
    const entries = await page.evaluate(() =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((e) => /\/(layout|status)(\?|$)/.test(e.name))
        .map((e) => ({
          kind: new URL(e.name).pathname.split('/').pop(),
          cached: e.transferSize === 0 && e.decodedBodySize > 0,
        }))
        .sort((a, b) => String(a.kind).localeCompare(String(b.kind))),
    );
    expect(entries).toEqual([
      { kind: 'layout', cached: true },
      { kind: 'status', cached: false },
    ]);
    await expectMapEqualsSeats(page, server.url, fixture.scheduleId);
    await page.close();
  });

  it('a performance pointed at on the concert page has its layout fetched before its seat map opens', async () => {
    const fresh = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await fresh.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${server.url}/#/concerts/${fixture.concertId}`);
    const link = page.locator(`a.perf-item[href*="/schedules/${fixture.scheduleId}"]`);
    await link.waitFor();
    const warmed = page.waitForResponse((r) => r.url().endsWith('/layout?form=columns'));
    await link.hover();
    await (await warmed).finished();
    const clickedAt = await page.evaluate(() => performance.now());
    await link.click();
    await page.locator('.live-badge:not(.offline)').waitFor();
    // The seat page took the layout fetched on pointer-over: after the click only its versioned copy (kept for the
    // next visit) may be asked for.
    const layouts = await page.evaluate(
      (t0) =>
        (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
          .filter((e) => e.startTime >= t0 && e.name.includes('/layout?'))
          .map((e) => new URL(e.name).search.replace(/&v=.*/, '&v=…')),
      clickedAt,
    );
    expect(layouts.filter((search) => search !== '?form=columns&v=…')).toEqual([]);
    await expectMapEqualsSeats(page, server.url, fixture.scheduleId);
    await fresh.close();
  });
});
