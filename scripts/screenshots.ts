/**
 * Screenshots of every customer page (ko and en, desktop and phone, the stadium map) into docs/screenshots/.
 * Starts its own server in this process (PGlite in memory, demo data), builds the client into a temp dir and
 * drives Debian's Chromium. Usage: `npm run screenshots` (`-- --inventory`: only the box-office editor, accessible seats
 * and standing-area shots).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { buildClient, clickSeat, launchBrowser, startServer } from '../tests/e2e/support.ts';

const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/screenshots');
const desktop = { width: 1280, height: 860 };
const phone = { width: 390, height: 844 };
/** The box office's token for this run's own server. */
const SCREENSHOT_ADMIN_TOKEN = 'screenshots-box-office-token';

type Json = Record<string, unknown>;

async function main() {
  await mkdir(outDir, { recursive: true });
  const client = await buildClient();
  const server = await startServer(client.dir, { SEED_DEMO: true, ADMIN_TOKEN: SCREENSHOT_ADMIN_TOKEN });
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

    // `npm run screenshots -- --inventory`: only the SPEC §12 shots (editor, accessible seats, standing floor).
    const only = process.argv.includes('--inventory');
    for (const [n, lang] of (only ? [] : (['ko', 'en'] as const)).entries()) {
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

    await inventoryShots(browser, server.url, {
      hall,
      hallUrl,
      floorUrl: await standingShowUrl(server.url, stadium.id),
    });
    if (only) return;

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

/**
 * SPEC §12: the box-office editor (sections, a standing area, wheelchair and companion seats, the live preview),
 * the hall's wheelchair and companion seats up close, and the stadium's standing floor with its count.
 */
async function inventoryShots(
  browser: Browser,
  baseUrl: string,
  o: { hall: { id: string }; hallUrl: string; floorUrl: string },
): Promise<void> {
  for (const lang of ['ko', 'en'] as const) {
    const ko = lang === 'ko';
    const shot = async (page: Page, name: string) => {
      await page.waitForTimeout(250);
      await page.screenshot({ path: path.join(outDir, `${name}-${lang}.png`) });
      console.log(`docs/screenshots/${name}-${lang}.png`);
    };
    // Tall enough for the whole editor (a full-page capture would repeat the sticky header).
    const page = await newPage(browser, baseUrl, lang, { width: 1280, height: 1640 });
    await page.goto(`${baseUrl}/#/boxoffice?view=setup&concert=${o.hall.id}`);
    await page.locator('#bo-token').fill(SCREENSHOT_ADMIN_TOKEN);
    await page.locator('#bo-token').press('Enter');
    await page.locator('#bo-p-when').fill('2031-08-15T19:00');
    await page.getByRole('button', { name: ko ? '+ 스탠딩 구역 추가' : '+ Add standing area' }).click();
    await page.locator('#bo-areas-0-y').fill('-9');
    await page.locator('#bo-areas-0-x').fill('0');
    await page.locator('#bo-areas-0-width').fill('20');
    await page.locator('#bo-p-accessible').fill('L01, L20');
    await page.locator('#bo-p-companion').fill('L02, L19');
    await page.locator('.bo-preview canvas').waitFor();
    await page.mouse.move(5, 5);
    await shot(page, '15-boxoffice-editor');
    await page.close();

    // The hall's wheelchair spaces and their companion seats (demo data), zoomed in.
    const hallPage = await newPage(browser, baseUrl, lang, desktop);
    await hallPage.goto(`${baseUrl}${o.hallUrl}`);
    await hallPage.locator('.seat-canvas').waitFor();
    const accessible = await firstAccessibleSeat(baseUrl, o.hallUrl);
    if (accessible) {
      await hallPage.evaluate(
        (id) => (window as unknown as { __seatmap: { zoomToSeat(id: string): void } }).__seatmap.zoomToSeat(id),
        accessible,
      );
      await hallPage.mouse.move(5, 5);
      await shot(hallPage, '16-accessible-seats');
    }
    await hallPage.close();

    // The stadium's standing floor: a block with its live count of free places.
    const stadiumPage = await newPage(browser, baseUrl, lang, desktop);
    await stadiumPage.goto(`${baseUrl}${o.floorUrl}`);
    await stadiumPage.locator('.seat-canvas').waitFor();
    await stadiumPage.waitForTimeout(400);
    await shot(stadiumPage, '17-standing-area');
    await stadiumPage.close();
  }
}

/** The seat-map URL of the concert's first performance with a standing area (demo data: one BTS show). */
async function standingShowUrl(baseUrl: string, concertId: string): Promise<string> {
  const get = async <T>(url: string) => (await (await fetch(`${baseUrl}${url}`)).json()) as T;
  const { dates } = await get<{ dates: string[] }>(`/api/concerts/${concertId}`);
  for (const date of dates) {
    const { schedules } = await get<{ schedules: { id: string }[] }>(
      `/api/concerts/${concertId}/schedules?date=${date}`,
    );
    for (const { id } of schedules) {
      const { areas } = await get<{ areas: unknown[] }>(`/api/schedules/${id}/layout`);
      if (areas.length) return `/#/concerts/${concertId}/schedules/${id}?date=${date}`;
    }
  }
  throw new Error('no performance with a standing area in the demo data');
}

/** The first wheelchair space of the performance behind a seat-map URL. */
async function firstAccessibleSeat(baseUrl: string, seatUrl: string): Promise<string | undefined> {
  const scheduleId = /schedules\/([^/?]+)/.exec(seatUrl)?.[1];
  const res = await fetch(`${baseUrl}/api/schedules/${scheduleId}/layout`);
  const layout = (await res.json()) as { seats: { id: string; accessible: boolean }[] };
  return layout.seats.find((s) => s.accessible)?.id;
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
