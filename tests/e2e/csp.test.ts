import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture } from '../support/fixtures.ts';
import {
  browserAvailable,
  buildClient,
  clickSeat,
  type E2eServer,
  launchBrowser,
  openPage,
  startServer,
} from './support.ts';

const run = browserAvailable();
const ADMIN_TOKEN = 'e2e-csp-box-office-token';

/**
 * SPEC §11: the built client satisfies its Content-Security-Policy. Every page a customer, a clerk or an API reader
 * sees is walked through in Chromium under the server's real headers, and every CSP violation is collected — from
 * the `securitypolicyviolation` event and from Chromium's console reports.
 */
describe.runIf(run)('content security policy in a browser', () => {
  let client: Awaited<ReturnType<typeof buildClient>>;
  let server: E2eServer;
  let browser: Browser;
  const violations: string[] = [];

  beforeAll(async () => {
    client = await buildClient();
    [server, browser] = await Promise.all([startServer(client.dir, { ADMIN_TOKEN }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await client?.remove();
  });

  async function watchedPage(): Promise<Page> {
    const page = await openPage(browser);
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(
          `CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`,
        );
      });
    });
    page.on('console', (message) => {
      const text = message.text();
      if (/CSP violation|Content Security Policy/i.test(text)) violations.push(`${page.url()}: ${text}`);
    });
    return page;
  }

  it('the customer pages, the box office and /docs raise no CSP violation', async () => {
    const fixture = await createFixture(server.app.context.db, { title: 'CSP 콘서트' });
    const page = await watchedPage();
    const res = await page.goto(server.url);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");

    // Concerts → concert → seat map → checkout → confirmation (drawn posters, canvas, live updates).
    await page.getByRole('link', { name: /CSP 콘서트/ }).click();
    await page.locator('.perf-item').first().click();
    await clickSeat(page, fixture.seats.A01!);
    await page.locator('.selection-card .hold-countdown').waitFor();
    await page.getByRole('button', { name: '예매자 정보 입력' }).first().click();
    await page.getByLabel('이름').fill('김민지');
    await page.getByLabel('휴대폰 번호').fill('010-1234-5678');
    await page.getByRole('button', { name: /예매하기/ }).click();
    await page.getByTestId('reservation-number').waitFor();

    // My reservations: look up and show the result.
    await page.goto(`${server.url}/#/my`);
    await page.getByRole('button', { name: '조회' }).click();
    await page.locator('.reservation-card').first().waitFor();

    // Box office: sign in and watch the dashboard (lazy chunk with its own stylesheet, live stats).
    await page.goto(`${server.url}/#/boxoffice`);
    await page.locator('#bo-token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: '로그인' }).click();
    await page.locator('h1', { hasText: '박스오피스' }).waitFor();

    // The API reader's page: Swagger UI under its own policy.
    await page.goto(`${server.url}/docs`);
    await page.locator('.opblock').first().waitFor();
    await page.close();

    expect(violations).toEqual([]);
  });

  it('would report a violation (the watch itself works)', async () => {
    const page = await watchedPage();
    await page.goto(server.url);
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.body.append(s);
    });
    await expect.poll(() => violations.length).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as unknown as { __inline?: number }).__inline)).toBeUndefined();
    violations.length = 0;
    await page.close();
  });
});
