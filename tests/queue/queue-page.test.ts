import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, buildClient, type E2eServer, launchBrowser, startServer } from '../e2e/support.ts';
import { createFixture, type Fixture } from '../support/fixtures.ts';
import { ADMIN_TOKEN, adminHeaders, putQueue } from './support.ts';

const available = browserAvailable();

/**
 * The waiting room in a real browser (SPEC §10): the seat map of a queued concert sends the customer to the queue
 * page, which shows the place, keeps it across a reload, solves the proof of work in a Web Worker, and moves on to
 * the seat map by itself when admitted, where the admission's time left shows and holds carry the token.
 */
describe.skipIf(!available)('waiting room page (browser)', () => {
  let client: Awaited<ReturnType<typeof buildClient>>;
  let server: E2eServer;
  let browser: Browser;
  let f: Fixture;

  beforeAll(async () => {
    client = await buildClient();
    server = await startServer(client.dir, { ADMIN_TOKEN, QUEUE_ADMIT_INTERVAL_MS: 50 });
    browser = await launchBrowser();
    f = await createFixture(server.app.context.db);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await client?.remove();
  });

  it('queues, keeps the place across a reload, then moves on to the seat map with the token', async () => {
    await putQueue(server.app, f.concertId, {
      enabled: true,
      opensAt: new Date(Date.now() - 1000).toISOString(),
      admitPerMinute: 600,
      maxActive: 1,
      challengeBits: 8,
    });
    // Someone else is admitted first and holds the only active place.
    const first = await server.app.inject({ method: 'POST', url: `/api/concerts/${f.concertId}/queue`, payload: {} });
    expect(first.statusCode).toBe(400); // challengeBits: a proof is needed
    const page = await browser.newPage();
    const seats = `${server.url}/#/concerts/${f.concertId}/schedules/${f.scheduleId}`;
    const queueUrl = `/api/admin/concerts/${f.concertId}/queue`;
    await server.app.inject({ method: 'PATCH', url: queueUrl, headers: adminHeaders, payload: { paused: true } });
    await page.goto(seats);
    await page.waitForURL(/#\/concerts\/[^/]+\/queue/);
    await page.getByText(/You are number 1|내 순번 1번/).waitFor();
    const ticket = await page.evaluate(
      (c) => JSON.parse(localStorage.getItem(`seatmap.queue.${c}`) ?? '{}').ticket,
      f.concertId,
    );
    expect(ticket).toMatch(/\./);
    expect(await page.getByRole('progressbar').count()).toBe(1);
    expect(await page.locator('[aria-live="polite"]').count()).toBeGreaterThan(0);
    // A reload keeps the ticket and the place.
    await page.reload();
    await page.getByText(/You are number 1|내 순번 1번/).waitFor();
    expect(
      await page.evaluate((c) => JSON.parse(localStorage.getItem(`seatmap.queue.${c}`) ?? '{}').ticket, f.concertId),
    ).toBe(ticket);
    // Admission opens: the page moves on to the seat map by itself; the time left shows; a hold carries the token.
    await server.app.inject({ method: 'PATCH', url: queueUrl, headers: adminHeaders, payload: { paused: false } });
    await page.waitForURL(/#\/concerts\/[^/]+\/schedules\//, { timeout: 60_000 });
    await page.locator('.admission-banner').waitFor();
    expect(await page.locator('.admission-banner').textContent()).toMatch(/\d\d:\d\d/);
    const token = await page.evaluate(
      (c) => JSON.parse(localStorage.getItem(`seatmap.queue.${c}`) ?? '{}').token as string,
      f.concertId,
    );
    const hold = await page.evaluate(
      async ({ s, seat, token }) =>
        (
          await fetch(`/api/schedules/${s}/holds`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-admission-token': token },
            body: JSON.stringify({ seatIds: [seat] }),
          })
        ).status,
      { s: f.scheduleId, seat: f.seats.A01!, token },
    );
    expect(hold).toBe(201);
    await page.close();
  }, 240_000);
});
