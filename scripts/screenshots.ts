/**
 * Screenshots of every customer page (ko and en, desktop and phone, the stadium map) into docs/screenshots/.
 * Starts its own server in this process (PGlite in memory, demo data), builds the client into a temp dir and
 * drives Debian's Chromium. Usage: `npm run screenshots`.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { buildClient, clickSeat, launchBrowser, startServer } from '../tests/e2e/support.ts';

const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/screenshots');
const desktop = { width: 1280, height: 860 };
const phone = { width: 390, height: 844 };

type Json = Record<string, unknown>;

async function main() {
  await mkdir(outDir, { recursive: true });
  const client = await buildClient();
  const server = await startServer(client.dir, { SEED_DEMO: true });
  const browser = await launchBrowser();
  const api = async (method: string, url: string, body?: unknown): Promise<Json> => {
    const res = await fetch(`${server.url}${url}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    return res.status === 204 ? {} : ((await res.json()) as Json);
  };
  try {
    const { concerts } = (await api('GET', '/api/concerts')) as { concerts: { id: string; title: string }[] };
    const hall = concerts.find((c) => c.title.includes('아이유'))!;
    const stadium = concerts.find((c) => c.title.includes('BTS'))!;
    const first = async (concertId: string) => {
      const detail = (await api('GET', `/api/concerts/${concertId}`)) as { dates: string[] };
      const date = detail.dates[0]!;
      const { schedules } = (await api('GET', `/api/concerts/${concertId}/schedules?date=${date}`)) as {
        schedules: { id: string }[];
      };
      return { date, scheduleId: schedules[0]!.id };
    };
    const hallShow = await first(hall.id);
    const stadiumShow = await first(stadium.id);
    await liven(api, hallShow.scheduleId, 120, 60);
    await liven(api, stadiumShow.scheduleId, 3000, 1500);
    const hallUrl = `/#/concerts/${hall.id}/schedules/${hallShow.scheduleId}?date=${hallShow.date}`;
    const stadiumUrl = `/#/concerts/${stadium.id}/schedules/${stadiumShow.scheduleId}?date=${stadiumShow.date}`;
    const hallSeats = (await api('GET', `/api/schedules/${hallShow.scheduleId}/seats`)) as {
      seats: { id: string; seatNumber: string; status: string; section: string }[];
    };
    const free = hallSeats.seats.filter((s) => s.section === 'R2' && s.status === 'available');

    for (const [n, lang] of (['ko', 'en'] as const).entries()) {
      const mySeats = free.slice(40 + n * 4, 42 + n * 4);
      const shot = async (page: Page, name: string) => {
        await page.waitForTimeout(250);
        await page.screenshot({ path: path.join(outDir, `${name}-${lang}.png`) });
        console.log(`docs/screenshots/${name}-${lang}.png`);
      };
      const page = await newPage(browser, server.url, lang, desktop);
      await page.goto(`${server.url}/#/`);
      await page.locator('.concert-card').first().waitFor();
      await page.waitForLoadState('networkidle');
      await shot(page, '01-concerts');

      await page.goto(`${server.url}/#/concerts/${hall.id}`);
      await page.locator('.perf-item').first().waitFor();
      await shot(page, '02-concert');

      // One click holds the seat: the map shows it as the customer's and the countdown runs.
      await page.goto(`${server.url}${hallUrl}`);
      await clickSeat(page, mySeats[0]!.id);
      await page.locator('.selection-list li.sel-held').waitFor();
      await page.mouse.move(5, 5);
      await shot(page, '03-seat-map');

      await clickSeat(page, mySeats[1]!.id);
      await page.locator('.selection-list li.sel-held').nth(1).waitFor();
      await page.getByRole('button', { name: lang === 'ko' ? '목록 보기' : 'List view' }).click();
      await shot(page, '04-seat-list');
      await page.getByRole('button', { name: lang === 'ko' ? '좌석 배치도' : 'Seat map' }).click();

      await continueToForm(page, lang);
      await page.locator('#customer-phone').fill('010-12');
      await page.locator('#customer-name').focus();
      await shot(page, '05-checkout');

      await page.locator('#customer-name').fill(lang === 'ko' ? '김민지' : 'Minji Kim');
      await page.locator('#customer-phone').fill('010-1234-5678');
      await page.locator('#customer-email').fill('minji@example.com');
      await page.locator('.checkout-form button[type=submit]').click();
      await page.getByTestId('reservation-number').waitFor();
      await shot(page, '06-confirmation');

      await page.locator('a[href="#/my"].btn').click();
      await page.locator('.lookup-form button[type=submit]').click();
      await page.locator('.reservation-card').first().waitFor();
      await shot(page, '07-my-reservations');
      await page.locator('.reservation-card button').first().click();
      await page.locator('dialog').waitFor();
      await shot(page, '08-cancel-dialog');
      await page.keyboard.press('Escape');

      await page.goto(`${server.url}${stadiumUrl}`);
      await page.locator('.seat-canvas').waitFor();
      await page.waitForTimeout(400);
      await shot(page, '09-stadium-overview');
      // A click on a section in the overview zooms into it.
      const section = await page.evaluate(() =>
        (
          window as unknown as { __seatmap: { sectionPoint(n: string): { x: number; y: number } } }
        ).__seatmap.sectionPoint('VIP1'),
      );
      await page.mouse.click(section.x, section.y);
      await page.mouse.move(5, 5);
      await shot(page, '10-stadium-zoomed');
      await page.close();

      const mobile = await newPage(browser, server.url, lang, phone);
      await mobile.goto(`${server.url}/#/`);
      await mobile.locator('.concert-card').first().waitFor();
      await mobile.waitForLoadState('networkidle');
      await shot(mobile, '11-phone-concerts');
      await mobile.goto(`${server.url}${hallUrl}`);
      await mobile.locator('.seat-canvas').waitFor();
      // Phones start with the section overview: tap a section, then two seats.
      const r2 = await mobile.evaluate(() =>
        (
          window as unknown as { __seatmap: { sectionPoint(n: string): { x: number; y: number } } }
        ).__seatmap.sectionPoint('R2'),
      );
      await mobile.mouse.click(r2.x, r2.y);
      await clickSeat(mobile, free[48 + n * 4]!.id);
      await mobile.locator('.mobile-bar .hold-countdown').waitFor();
      await shot(mobile, '12-phone-seat-map');
      await mobile.goto(`${server.url}/#/concerts/${hall.id}`);
      await mobile.locator('.perf-item').first().waitFor();
      await mobile.locator('.calendar').scrollIntoViewIfNeeded();
      await shot(mobile, '13-phone-concert');
      await mobile.close();
    }

    // The expiry dialog, from a hold whose clock has run out.
    const page = await newPage(browser, server.url, 'ko', desktop);
    await page.goto(`${server.url}${hallUrl}`);
    await clickSeat(page, free[60]!.id);
    await page.locator('.selection-list li.sel-held').waitFor();
    await continueToForm(page, 'ko');
    await page.evaluate(() => {
      const raw = sessionStorage.getItem('seatmap.hold')!;
      const s = JSON.parse(raw);
      s.hold.expiresAt = new Date(Date.now() + 1500).toISOString();
      sessionStorage.setItem('seatmap.hold', JSON.stringify(s));
      location.reload();
    });
    await page.locator('dialog').waitFor({ timeout: 5000 });
    await page.waitForTimeout(250);
    await page.screenshot({ path: path.join(outDir, '14-expired-ko.png') });
    console.log('docs/screenshots/14-expired-ko.png');
  } finally {
    await browser.close();
    await server.close();
    await client.remove();
  }
}

async function continueToForm(page: Page, lang: 'ko' | 'en') {
  await page
    .locator('.selection-card')
    .getByRole('button', { name: lang === 'ko' ? '예매자 정보 입력' : 'Enter your details' })
    .click();
  await page.locator('.checkout-form').waitFor();
}

async function newPage(
  browser: Browser,
  baseUrl: string,
  lang: 'ko' | 'en',
  viewport: { width: number; height: number },
) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: viewport.width < 500 ? 2 : 1 });
  await context.addInitScript((l) => localStorage.setItem('seatmap.lang', l), lang);
  const page = await context.newPage();
  page.on('close', () => void context.close());
  void baseUrl;
  return page;
}

/** Other customers: some held seats and some bookings, so the map shows every state. */
async function liven(
  api: (method: string, url: string, body?: unknown) => Promise<Json>,
  scheduleId: string,
  reserve: number,
  holdCount: number,
) {
  const { seats } = (await api('GET', `/api/schedules/${scheduleId}/seats`)) as { seats: { id: string }[] };
  let seed = 7;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const pick = (n: number) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(seats[Math.floor(random() * seats.length)]!.id);
    return [...new Set(out)];
  };
  const groups = (ids: string[]) =>
    Array.from({ length: Math.ceil(ids.length / 2) }, (_, i) => ids.slice(i * 2, i * 2 + 2));
  const book = async (ids: string[]) => {
    const h = (await api('POST', `/api/schedules/${scheduleId}/holds`, { seatIds: ids })) as { holdId?: string };
    if (h.holdId) {
      await api('POST', '/api/reservations', {
        holdId: h.holdId,
        customer: { name: '홍길동', phone: '010-5555-0000' },
      });
    }
  };
  const hold = async (ids: string[]) => {
    await api('POST', `/api/schedules/${scheduleId}/holds`, { seatIds: ids });
  };
  await inBatches(groups(pick(reserve)), book);
  await inBatches(groups(pick(holdCount)), hold);
}

/** A few requests at a time: the server sheds load it cannot take (and rightly so). */
async function inBatches<T>(items: T[], fn: (item: T) => Promise<void>, size = 16): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
