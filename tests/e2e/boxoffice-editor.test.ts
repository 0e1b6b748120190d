import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from './axe.ts';
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
const ADMIN_TOKEN = 'e2e-box-office-editor-0123';

/** The element with focus: its tag, its accessible name parts and whether it shows a focus ring. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const a = document.activeElement as HTMLElement | null;
    const style = a ? getComputedStyle(a) : null;
    return {
      id: a?.id ?? '',
      tag: a?.tagName ?? '',
      text: a?.textContent?.trim() ?? '',
      label: a?.getAttribute('aria-label') ?? '',
      ring: style ? style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 2 : false,
    };
  });

/** Presses Tab until `matches` (at most `max` times); every stop on the way must show its focus. */
async function tabUntil(page: Page, matches: (el: Awaited<ReturnType<typeof focused>>) => boolean, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const el = await focused(page);
    expect(el.ring, `focus ring on ${el.tag}#${el.id} "${el.label || el.text}"`).toBe(true);
    if (matches(el)) return el;
  }
  throw new Error('tabUntil: target never received focus');
}

describe.runIf(run)('box-office editor in a browser', () => {
  let client: Awaited<ReturnType<typeof buildClient>>;
  let server: E2eServer;
  let browser: Browser;

  beforeAll(async () => {
    client = await buildClient();
    [server, browser] = await Promise.all([
      startServer(client.dir, { ADMIN_TOKEN, ORPHAN_RULE: 'off' }),
      launchBrowser(),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await client?.remove();
  });

  /** A concert made through the API, for the tests that start from an existing one. */
  async function createConcert(title: string, venue: string): Promise<{ id: string }> {
    const res = await fetch(`${server.url}/api/admin/concerts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title, venue }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string };
  }

  async function signIn(page: Page, view = 'setup') {
    await page.goto(`${server.url}/#/boxoffice?view=${view}`);
    await page.getByLabel('관리자 토큰').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: '로그인' }).click();
  }

  it('creates a concert and a performance through the editor, and a customer books a seat on it', async () => {
    const page = await openPage(browser, { width: 1280, height: 1000 });
    await signIn(page);
    await page.getByLabel('공연명').fill('에디터 콘서트');
    await page.getByLabel('공연장', { exact: true }).fill('에디터 홀');
    await page.getByRole('button', { name: '공연 만들기' }).click();
    await page.getByRole('heading', { name: '에디터 콘서트 새 회차' }).waitFor();

    // The section editor: one section fewer, one changed; the preview follows.
    await page.getByLabel('공연 일시').fill('2031-05-01T19:30');
    await page.getByRole('button', { name: 'S 삭제' }).click();
    await page.getByLabel('R: 열 수').fill('2');
    await expect.poll(() => page.locator('.bo-editor-preview [aria-live]').textContent()).toBe('총 76석 · 2개 구역');
    await page.getByRole('button', { name: '회차 만들기' }).click();
    await page.getByText('회차를 만들었습니다 (76석).').waitFor();

    const { concerts } = await (await fetch(`${server.url}/api/concerts`)).json();
    const concert = concerts.find((c: { title: string }) => c.title === '에디터 콘서트');
    expect(Date.parse(concert.nextDateTime)).toBe(Date.parse('2031-05-01T10:30:00Z'));

    // The customer's map of that performance: book the first VIP seat.
    await page.getByRole('link', { name: '고객 좌석 배치도 열기' }).click();
    await page.locator('.live-badge:not(.offline)').waitFor();
    const seats = (await page.evaluate(() =>
      (window as unknown as { __seatmap: { statuses(): [string, string][] } }).__seatmap.statuses(),
    )) as [string, string][];
    expect(seats).toHaveLength(76);
    await clickSeat(page, seats[0]![0]);
    await expect.poll(() => page.locator('.selection-list li.sel-held').count()).toBe(1);
    await page.getByRole('button', { name: '예매자 정보 입력' }).first().click();
    await page.getByLabel('이름').fill('김박스');
    await page.getByLabel('휴대폰 번호').fill('010-5555-1234');
    await page.getByRole('button', { name: /예매하기/ }).click();
    expect((await page.getByTestId('reservation-number').textContent())!.trim()).toMatch(/^[0-9A-Z]{8,12}$/);
    await page.close();
  });

  it('is axe-clean in Korean and English and works by keyboard alone', async () => {
    const concert = await createConcert('키보드 콘서트', '키보드 홀');
    const page = await openPage(browser, { width: 1280, height: 1000 });
    await signIn(page, `setup&concert=${concert.id}`);
    await page.getByRole('heading', { name: /새 회차/ }).waitFor();
    await page.locator('.bo-preview canvas').waitFor();
    expect(await audit(page, 'editor, ko')).toEqual([]);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: /New performance/ }).waitFor();
    expect(await audit(page, 'editor, en')).toEqual([]);
    await page.getByRole('button', { name: '한국어' }).click();
    await page.getByRole('heading', { name: /새 회차/ }).waitFor();

    // Keyboard only: add a section (focus lands in its first cell), name it, take it out again, create.
    await page.locator('#bo-p-when').fill('2031-06-02T18:00');
    await page.locator('#bo-p-when').focus();
    expect((await focused(page)).ring).toBe(true);
    // (Tab inside a date-time input walks its inner fields: the walk starts at the first section cell.)
    await page.locator('#bo-sections-0-name').focus();
    await tabUntil(page, (el) => el.text === '+ 구역 추가');
    await page.keyboard.press('Enter');
    expect((await focused(page)).label).toBe('D: 구역');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('발코니');
    await expect.poll(() => page.locator('.bo-editor-preview [aria-live]').textContent()).toBe('총 296석 · 4개 구역');
    await tabUntil(page, (el) => el.label === '발코니 삭제');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.bo-editor-preview [aria-live]').textContent()).toBe('총 216석 · 3개 구역');
    await tabUntil(page, (el) => el.text === '회차 만들기');
    await page.keyboard.press('Enter');
    await page.getByText('회차를 만들었습니다 (216석).').waitFor();
    // The preview map takes the keyboard like the customer's map: its focus seat is a named button.
    await tabUntil(page, (el) => el.text === '판매 현황 보기');
    await page.close();
  });

  it('sets up the concert’s waiting room, and the live queue panel appears', async () => {
    const concert = await createConcert('대기열 설정 콘서트', '대기열 홀');
    const page = await openPage(browser, { width: 1280, height: 1000 });
    await signIn(page, `queue&concert=${concert.id}`);
    await page.getByRole('heading', { name: '대기열 설정', exact: true }).waitFor();
    expect(await audit(page, 'waiting-room set-up, ko')).toEqual([]);
    await page.getByLabel('판매 시작 시각').fill('2031-05-01T20:00');
    await page.getByLabel('분당 입장 인원').fill('120');
    await page.getByLabel('동시 입장 최대 인원').fill('40');
    await page.getByLabel('판매 시작 시각').press('Enter');
    await page.getByText('대기열 설정을 저장했습니다.').waitFor();
    await page
      .getByRole('heading', { name: /^대기열/ })
      .nth(1)
      .waitFor();
    const config = await (
      await fetch(`${server.url}/api/admin/concerts/${concert.id}/queue`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      })
    ).json();
    expect(config).toMatchObject({ enabled: true, admitPerMinute: 120, maxActive: 40, sessionMinutes: 10 });
    expect(Date.parse(config.opensAt)).toBe(Date.parse('2031-05-01T20:00:00+09:00'));
    await page.close();
  });
});
