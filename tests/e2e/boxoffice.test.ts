import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../support/fixtures.ts';
import { browserAvailable, buildClient, type E2eServer, launchBrowser, startServer } from './support.ts';

const run = browserAvailable();
const ADMIN_TOKEN = 'e2e-box-office-token-0123';
const screenshots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');

const customers = [
  '김민지',
  '이서준',
  '박지우',
  '최하은',
  '정도윤',
  '강서연',
  '조예준',
  '윤지호',
  'Emily Park',
  '한유나',
];

describe.runIf(run)('box office dashboard in a browser', () => {
  let client: Awaited<ReturnType<typeof buildClient>>;
  let server: E2eServer;
  let browser: Browser;
  let f: Fixture;

  const api = async (method: string, url: string, body?: object) => {
    const res = await fetch(`${server.url}${url}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: res.status === 204 ? null : await res.json() };
  };
  const hold = async (seatIds: string[]) => {
    const res = await api('POST', `/api/schedules/${f.scheduleId}/holds`, { seatIds });
    expect(res.status).toBe(201);
    return res.body.holdId as string;
  };
  const book = async (seatIds: string[], name: string) => {
    const res = await api('POST', '/api/reservations', {
      holdId: await hold(seatIds),
      customer: { name, phone: '010-2345-6789' },
    });
    expect(res.status).toBe(201);
    return res.body.reservationNumber as string;
  };

  beforeAll(async () => {
    client = await buildClient();
    [server, browser] = await Promise.all([
      startServer(client.dir, { ADMIN_TOKEN, ORPHAN_RULE: 'off' }),
      launchBrowser(),
    ]);
    f = await createFixture(server.app.context.db, {
      title: '아이유 콘서트 2026',
      sections: [
        { grade: 'VIP', price: 220_000, rows: 2, seatsPerRow: 10 },
        { grade: 'R', price: 150_000, rows: 4, seatsPerRow: 12 },
        { grade: 'S', price: 120_000, rows: 4, seatsPerRow: 14 },
        { grade: 'A', price: 90_000, rows: 3, seatsPerRow: 16 },
      ],
    });
    // A morning of sales: bookings spread over the last half hour, a few seats held right now.
    const plan: [string, number][] = [
      ['A', 4],
      ['B', 3],
      ['C', 4],
      ['D', 2],
      ['E', 4],
      ['F', 3],
      ['G', 2],
      ['H', 4],
      ['I', 2],
      ['J', 3],
      ['K', 2],
      ['L', 4],
      ['M', 2],
      ['C', 2],
      ['E', 3],
      ['G', 4],
      ['I', 2],
      ['B', 2],
      ['D', 4],
      ['H', 3],
    ];
    const used = new Map<string, number>();
    let i = 0;
    for (const [row, count] of plan) {
      const from = used.get(row) ?? 0;
      used.set(row, from + count);
      await book(f.row(row).slice(from, from + count), customers[i++ % customers.length]!);
    }
    // Backdate them over the last 28 minutes, busier recently.
    await sql`
      UPDATE reservations r SET created_at = now() - make_interval(secs => 60 * (28 - 28 * sqrt(o.n / ${plan.length}::float)))
      FROM (SELECT id, row_number() OVER (ORDER BY created_at) - 1 AS n FROM reservations) o
      WHERE o.id = r.id`.execute(server.app.context.db);
    await hold(f.row('F').slice(8, 11));
    await hold(f.row('K').slice(10, 14));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await client?.remove();
  });

  const tile = (page: Page, kind: string) => page.locator(`[data-stat="${kind}"]`).textContent();

  it('signs in with the token, shows live sell-through and changes when a booking happens', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, deviceScaleFactor: 1 });
    await page.goto(`${server.url}/#/boxoffice`);

    await page.getByLabel('관리자 토큰').fill('wrong-token-wrong-token');
    await page.getByRole('button', { name: '로그인' }).click();
    await expect.poll(() => page.locator('.bo-form-error').textContent()).toBe('토큰이 올바르지 않습니다.');

    await page.getByLabel('관리자 토큰').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: '로그인' }).click();
    await expect.poll(() => tile(page, 'sold'), { timeout: 15_000 }).toBe('59');
    expect(await tile(page, 'held')).toBe('7');
    expect(await page.locator('.bo-live').textContent()).toBe('실시간');
    expect(await page.locator('.bo-grade').count()).toBe(4);
    await expect.poll(() => page.locator('.bo-table tbody tr').count()).toBe(8);
    expect(await page.locator('.bo-chart-bar').count()).toBeGreaterThan(5);
    // The token is kept in the page's memory only, never in storage.
    expect(await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }))).not.toContain(
      ADMIN_TOKEN,
    );
    if (process.env.UPDATE_SCREENSHOTS) {
      // `UPDATE_SCREENSHOTS=1 npx vitest run tests/e2e/boxoffice.test.ts` refreshes docs/screenshots/boxoffice.png.
      await mkdir(screenshots, { recursive: true });
      await page.screenshot({ path: path.join(screenshots, 'boxoffice.png'), fullPage: true });
    }

    // A booking made elsewhere reaches the dashboard: tiles, revenue and the latest reservations.
    const revenueBefore = await tile(page, 'revenue');
    const number = await book(f.row('M').slice(12, 16), '새 고객');
    await expect.poll(() => tile(page, 'sold'), { timeout: 15_000 }).toBe('63');
    expect(await tile(page, 'revenue')).not.toBe(revenueBefore);
    await expect
      .poll(() => page.locator('.bo-table tbody tr').first().textContent(), { timeout: 15_000 })
      .toContain(number);

    // English, like the rest of the client.
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Box office');
    await expect.poll(() => tile(page, 'sold'), { timeout: 15_000 }).toBe('63');
    expect(await page.locator('.bo-card-title').first().textContent()).toBe('Sell-through by grade');
    await page.getByRole('button', { name: '한국어' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('박스오피스');

    // Signing out forgets the token; so does a reload (the token lived in the page's memory only).
    await page.getByRole('button', { name: '로그아웃' }).click();
    await expect.poll(() => page.getByLabel('관리자 토큰').count()).toBe(1);
    await page.getByLabel('관리자 토큰').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: '로그인' }).click();
    await expect.poll(() => tile(page, 'sold'), { timeout: 15_000 }).toBe('63');
    await page.reload();
    await expect.poll(() => page.getByLabel('관리자 토큰').count()).toBe(1);
    await page.close();
  });
});
