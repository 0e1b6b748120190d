import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admitted, joinQueue } from '../queue/support.ts';
import { createFixture, type Fixture } from '../support/fixtures.ts';
import { audit, type Finding } from './axe.ts';
import { browserAvailable, buildClient, clickSeat, type E2eServer, launchBrowser, startServer } from './support.ts';

const run = browserAvailable();
const ADMIN_TOKEN = 'e2e-accessibility-token-0123';

describe.runIf(run)('accessibility: axe-core (WCAG 2.1 A/AA) on every page, in Korean and English', () => {
  let client: Awaited<ReturnType<typeof buildClient>>;
  let server: E2eServer;
  let browser: Browser;
  let fixture: Fixture;
  let queued: Promise<Fixture> | undefined;

  /** A concert with a waiting room whose one active place is taken: a browser arriving waits, with a position. */
  const queuedConcert = () =>
    (queued ??= (async () => {
      const concert = await createFixture(server.app.context.db, { title: '대기열 콘서트' });
      const put = await server.app.inject({
        method: 'PUT',
        url: `/api/admin/concerts/${concert.concertId}/queue`,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        payload: {
          enabled: true,
          opensAt: new Date(Date.now() - 60_000).toISOString(),
          admitPerMinute: 600,
          maxActive: 1,
        },
      });
      expect(put.statusCode).toBe(200);
      await admitted(server.app, (await joinQueue(server.app, concert.concertId)).ticket);
      return concert;
    })());

  beforeAll(async () => {
    client = await buildClient();
    [server, browser] = await Promise.all([startServer(client.dir, { ADMIN_TOKEN }), launchBrowser()]);
    fixture = await createFixture(server.app.context.db, { title: '접근성 콘서트' });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await client?.remove();
  });

  for (const [lang, first, last] of [
    ['ko', 'A01', 'C05'],
    ['en', 'B01', 'C08'],
  ] as const) {
    const ko = lang === 'ko';
    it(`${lang}: 0 violations on every page and dialog`, async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      await context.addInitScript((l) => localStorage.setItem('seatmap.lang', l), lang);
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const findings: Finding[] = [];
      const check = async (state: string) => findings.push(...(await audit(page, state)));
      const seatsUrl = `${server.url}/#/concerts/${fixture.concertId}/schedules/${fixture.scheduleId}`;

      await page.goto(`${server.url}/#/`);
      await page.locator('.concert-card').first().waitFor();
      await check('concerts');

      await page.goto(`${server.url}/#/concerts/${fixture.concertId}`);
      await page.locator('.perf-item').first().waitFor();
      await check('concert');
      // Data in the other language is marked for screen readers: a Korean title inside the English page.
      expect(await page.locator('h1').getAttribute('lang')).toBe(ko ? null : 'ko');

      await page.goto(seatsUrl);
      await page.locator('.live-badge:not(.offline)').waitFor();
      await check('seat map');
      await clickSeat(page, fixture.seats[first]!);
      await page.locator('.selection-list li.sel-held').waitFor();
      await check('seat map, one seat held');
      await page.getByRole('button', { name: ko ? '목록 보기' : 'List view' }).click();
      await page.locator('.seat-table').waitFor();
      await check('seat list');
      await page.getByRole('button', { name: ko ? '좌석 배치도' : 'Seat map' }).click();

      await page
        .getByRole('button', { name: ko ? '예매자 정보 입력' : 'Enter your details' })
        .first()
        .click();
      await page.locator('.checkout-form').waitFor();
      await check('checkout');
      await page.locator('.checkout-form button[type=submit]').click();
      await page.locator('[aria-invalid="true"]').first().waitFor();
      await check('checkout, with errors');
      await page.locator('#customer-name').fill(ko ? '김민지' : 'Minji Kim');
      await page.locator('#customer-phone').fill('010-1234-5678');
      await page.locator('.checkout-form button[type=submit]').click();
      await page.getByTestId('reservation-number').waitFor();
      await check('confirmation');

      await page.locator('a[href="#/my"].btn').click();
      await page.locator('.lookup-form').waitFor();
      await check('my reservations');
      await page.locator('.lookup-form button[type=submit]').click();
      await page.locator('.reservation-card').first().waitFor();
      await check('my reservations, results');
      await page.locator('.reservation-card button').first().click();
      await page.locator('dialog').waitFor();
      await check('cancel dialog');
      await page.keyboard.press('Escape');

      await page.goto(`${server.url}/#/nowhere`);
      await page.locator('h1').waitFor();
      await check('not found');

      await page.goto(`${server.url}/#/boxoffice`);
      await page.locator('#bo-token').waitFor();
      await check('box office sign-in');
      await page.locator('#bo-token').fill(ADMIN_TOKEN);
      await page.locator('#bo-token').press('Enter');
      await page.locator('.bo-grade').first().waitFor();
      await page.locator('.bo-table tbody tr').first().waitFor();
      await check('box office dashboard');

      // The expiry dialog: a hold whose clock is made to run out now.
      await page.goto(seatsUrl);
      await clickSeat(page, fixture.seats[last]!);
      await page
        .locator('.selection-list li.sel-held')
        .waitFor()
        .catch(async (err) => {
          await page.screenshot({ path: `/tmp/a11y-${lang}.png` });
          throw err;
        });
      await page.evaluate(() => {
        const s = JSON.parse(sessionStorage.getItem('seatmap.hold')!);
        s.hold.expiresAt = new Date(Date.now() - 1000).toISOString();
        sessionStorage.setItem('seatmap.hold', JSON.stringify(s));
        location.reload();
      });
      await page.locator('dialog').waitFor();
      await check('expiry dialog');

      expect(findings).toEqual([]);
      await context.close();
    });
  }

  // After the pages above, so the box office there still shows only the first concert.
  for (const lang of ['ko', 'en'] as const) {
    it(`${lang}: 0 violations in the waiting room`, async () => {
      const concert = await queuedConcert();
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      await context.addInitScript((l) => localStorage.setItem('seatmap.lang', l), lang);
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      // The seat map of a queued concert sends the customer to its waiting room first.
      await page.goto(`${server.url}/#/concerts/${concert.concertId}/schedules/${concert.scheduleId}`);
      await page.locator('.queue-position:not(:empty)').waitFor();
      expect(await audit(page, 'waiting room')).toEqual([]);
      await context.close();
    });
  }
});
