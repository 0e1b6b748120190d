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
const ADMIN_TOKEN = 'e2e-inventory-token-0123';

interface LayoutAnswer {
  seats: { id: string; seatNumber: string; accessible: boolean; companion: boolean }[];
  areas: { id: string; name: string; capacity: number }[];
}

/**
 * SPEC §12 in the browser: the box office builds a performance with a standing area and wheelchair seats, withholds
 * seats on its map and opens a presale; the customer sees the flags, is asked for the presale code and books with it.
 */
describe.runIf(run)('inventory for real venues in a browser', () => {
  let client: Awaited<ReturnType<typeof buildClient>>;
  let server: E2eServer;
  let browser: Browser;
  let concertId = '';
  let scheduleId = '';
  let code = '';

  const admin = async (method: string, url: string, body?: object) => {
    const res = await fetch(`${server.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: res.status === 204 ? null : await res.json() };
  };
  const layout = async (): Promise<LayoutAnswer> =>
    (await fetch(`${server.url}/api/schedules/${scheduleId}/layout`)).json() as Promise<LayoutAnswer>;
  const statuses = async (): Promise<string> =>
    ((await (await fetch(`${server.url}/api/schedules/${scheduleId}/status`)).json()) as { statuses: string }).statuses;

  beforeAll(async () => {
    client = await buildClient();
    [server, browser] = await Promise.all([
      startServer(client.dir, { ADMIN_TOKEN, ORPHAN_RULE: 'off' }),
      launchBrowser(),
    ]);
    const concert = await admin('POST', '/api/admin/concerts', { title: '인벤토리 콘서트', venue: '올림픽홀' });
    expect(concert.status).toBe(201);
    concertId = concert.body.id;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await client?.remove();
  });

  async function boxOffice(page: Page, query: string) {
    await page.goto(`${server.url}/#/boxoffice?${query}`);
    await page.getByLabel('관리자 토큰').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: '로그인' }).click();
  }

  it('the editor makes a performance with a standing area and wheelchair and companion seats', async () => {
    const page = await openPage(browser, { width: 1280, height: 1100 });
    await boxOffice(page, `view=setup&concert=${concertId}`);
    await page.getByRole('heading', { name: '인벤토리 콘서트 새 회차' }).waitFor();
    await page.getByLabel('공연 일시').fill('2031-08-15T19:00');
    await page.getByRole('button', { name: '+ 스탠딩 구역 추가' }).click();
    await page.getByLabel('스탠딩: 수용 인원').fill('50');
    // Seat numbers typed, and one more marked by clicking the preview.
    await page.getByLabel('휠체어석 좌석 번호').fill('A01, A02');
    await page.getByLabel('동반자석으로').check();
    await page.getByLabel('동반자석 좌석 번호').fill('A03');
    await expect
      .poll(() => page.locator('.bo-editor-preview [aria-live]').textContent())
      .toBe('총 216석 · 3개 구역 · 스탠딩 50명 (1개 구역)');
    await page.getByRole('button', { name: '회차 만들기' }).click();
    await page.getByText('회차를 만들었습니다 (266석).').waitFor();
    const href = await page.getByRole('link', { name: '고객 좌석 배치도 열기' }).getAttribute('href');
    scheduleId = /schedules\/([^/?]+)/.exec(href!)![1]!;
    const { seats, areas } = await layout();
    expect(areas).toEqual([expect.objectContaining({ name: '스탠딩', capacity: 50 })]);
    const flagged = seats
      .filter((s) => s.accessible || s.companion)
      .map((s) => [s.seatNumber, s.accessible, s.companion]);
    expect(flagged).toEqual([
      ['A01', true, false],
      ['A02', true, false],
      ['A03', false, true],
    ]);
    await page.close();
  });

  it('withholds seats on the performance’s map with a reason and puts one back on sale', async () => {
    const page = await openPage(browser, { width: 1280, height: 1100 });
    await boxOffice(page, `view=seats&concert=${concertId}&schedule=${scheduleId}`);
    await page.getByRole('heading', { name: '판매 제외 좌석', exact: true }).waitFor();
    await page.getByLabel('좌석 번호로 고르기').fill('B05, B06');
    await page.getByLabel('좌석 번호로 고르기').press('Enter');
    await page.getByText('고른 좌석 2석: B05, B06').waitFor();
    await page.getByLabel('사유').fill('카메라석');
    await page.getByRole('button', { name: '판매 제외' }).click();
    await page.getByText('2석을 판매에서 제외했습니다.').waitFor();
    const { seats } = await layout();
    const index = (n: string) => seats.findIndex((s) => s.seatNumber === n);
    expect((await statuses())[index('B05')]).toBe('r');
    expect((await admin('GET', `/api/admin/schedules/${scheduleId}/seats`)).body.withheld).toHaveLength(2);
    expect((await admin('GET', `/api/admin/schedules/${scheduleId}/stats`)).body.withheld).toBe(2);
    await page.getByRole('button', { name: 'B06 판매 재개' }).click();
    await page.getByText('1석을 다시 판매합니다.').waitFor();
    expect((await statuses())[index('B06')]).toBe('a');
    expect(await audit(page, 'seats not for sale')).toEqual([]);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Seats not for sale', exact: true }).waitFor();
    expect(await audit(page, 'seats not for sale, en')).toEqual([]);
    // The sales dashboard counts the withheld seat apart.
    await page.getByRole('link', { name: 'Sales' }).click();
    await expect
      .poll(() => page.locator('.bo-tile-available .bo-tile-sub').textContent(), { timeout: 15_000 })
      .toContain('1 not for sale');
    await page.close();
  });

  it('opens a presale with generated codes and shows them', async () => {
    const page = await openPage(browser, { width: 1280, height: 1100 });
    await boxOffice(page, `view=presale&concert=${concertId}`);
    await page.getByRole('heading', { name: '새 선예매 기간' }).waitFor();
    const local = (ms: number) => new Date(Date.now() + ms + 9 * 3_600_000).toISOString().slice(0, 16); // Asia/Seoul wall clock
    await page.getByLabel('이름').fill('팬클럽 선예매');
    await page.getByLabel('시작').fill(local(-3_600_000));
    await page.getByLabel('종료').fill(local(3 * 3_600_000));
    await page.getByLabel('만들 코드 수').fill('5');
    await page.getByRole('button', { name: '선예매 만들기' }).click();
    await page.getByText('팬클럽 선예매 선예매를 만들었습니다 (코드 5개).').waitFor();
    await expect.poll(() => page.locator('.bo-code-list code').count()).toBe(5);
    code = (await page.locator('.bo-code-list code').first().textContent())!;
    expect(code).toMatch(/^[0-9A-Z-]{4,32}$/);
    expect(await audit(page, 'presale')).toEqual([]);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'New presale window' }).waitFor();
    expect(await audit(page, 'presale, en')).toEqual([]);
    await page.close();
  });

  it('the customer is asked for the presale code, sees wheelchair seats by name, and books with the code', async () => {
    const page = await openPage(browser, { width: 1280, height: 1000 });
    await page.goto(`${server.url}/#/concerts/${concertId}/schedules/${scheduleId}`);
    await page.locator('.live-badge:not(.offline)').waitFor();
    await page.getByRole('heading', { name: '선예매 진행 중: 팬클럽 선예매' }).waitFor();
    expect(await audit(page, 'seat map in presale')).toEqual([]);
    const { seats } = await layout();
    const seatId = (n: string) => seats.find((s) => s.seatNumber === n)!.id;
    // Without a code the hold is refused and the code field asks again.
    await clickSeat(page, seatId('C05'));
    await expect.poll(() => page.locator('#presale-code').getAttribute('aria-invalid')).toBe('true');
    await page.locator('#presale-code').fill(code.toLowerCase());
    await page.getByRole('button', { name: '코드 적용' }).click();
    await page.getByText('코드를 적용했습니다. 좌석을 선택하세요.').waitFor();
    await clickSeat(page, seatId('C05'));
    await expect.poll(() => page.locator('.selection-list li.sel-held').count()).toBe(1);

    // Wheelchair and companion seats: a legend entry and their names in the list.
    expect(await page.locator('.legend-states').textContent()).toContain('휠체어석');
    await page.getByRole('button', { name: '목록 보기' }).click();
    await page.getByRole('button', { name: /A열 1번, 휠체어석, VIP석/ }).waitFor();
    await page.getByRole('button', { name: /A열 3번, 동반자석/ }).waitFor();
    await page.getByRole('button', { name: '좌석 배치도' }).click();

    await page.getByRole('button', { name: '예매자 정보 입력' }).first().click();
    await page.getByLabel('이름').fill('선예매 고객');
    await page.getByLabel('휴대폰 번호').fill('010-7777-1234');
    await page.getByRole('button', { name: /예매하기/ }).click();
    await page.getByTestId('reservation-number').waitFor();
    const codes = await admin(
      'GET',
      `/api/admin/presales/${(await admin('GET', `/api/admin/concerts/${concertId}/presales`)).body.presales[0].id}/codes`,
    );
    expect(codes.body.codes.find((c: { code: string }) => c.code === code).uses).toBe(1);
    await page.close();
  });

  it('standing places: the floor is drawn with its live count, chosen by quantity and booked with entry numbers', async () => {
    const other = await admin('POST', '/api/admin/concerts', { title: '스탠딩 콘서트', venue: '핸드볼경기장' });
    const show = await admin('POST', `/api/admin/concerts/${other.body.id}/schedules`, {
      dateTime: '2031-09-01T19:00:00+09:00',
      layout: {
        sections: [{ name: 'R', grade: 'R', price: 132_000, rows: 3, seatsPerRow: 10, x: 0, y: 12 }],
        areas: [{ name: 'Floor', grade: 'GA', price: 110_000, capacity: 30, x: -2, y: 0, width: 13, height: 9 }],
      },
    });
    expect(show.status).toBe(201);
    const id = show.body.id as string;
    const { areas } = (await (await fetch(`${server.url}/api/schedules/${id}/layout`)).json()) as LayoutAnswer;
    const floor = areas[0]!;
    const page = await openPage(browser, { width: 1280, height: 1000 });
    await page.goto(`${server.url}/#/concerts/${other.body.id}/schedules/${id}`);
    await page.locator('.live-badge:not(.offline)').waitFor();
    const left = () => page.locator('.area-item .area-left').textContent();
    expect(await left()).toBe('잔여 30');
    // Someone else takes 3 places: the count moves live (areaChanges).
    const elsewhere = await fetch(`${server.url}/api/schedules/${id}/holds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ area: { id: floor.id, quantity: 3 } }),
    });
    expect(elsewhere.status).toBe(201);
    await expect.poll(left).toBe('잔여 27');
    // A click on the floor's block brings the keyboard to its quantity; choose 2.
    const point = await page.evaluate(
      (areaId) =>
        (window as unknown as { __seatmap: { areaPoint(id: string): { x: number; y: number } } }).__seatmap.areaPoint(
          areaId,
        ),
      floor.id,
    );
    await page.mouse.click(point.x, point.y);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(`area-qty-${floor.id}`);
    await page.keyboard.press('ArrowDown');
    await page.getByRole('button', { name: 'Floor 담기' }).click();
    await page.locator('.selection-list li.sel-area.sel-held').waitFor();
    await expect.poll(left).toBe('잔여 25');
    expect(await page.locator('.selection-card .total').textContent()).toBe('220,000원');
    expect(await audit(page, 'seat map with a standing area')).toEqual([]);
    await page.getByRole('button', { name: '예매자 정보 입력' }).first().click();
    await page.getByLabel('이름').fill('스탠딩 고객');
    await page.getByLabel('휴대폰 번호').fill('010-8888-1234');
    await page.getByRole('button', { name: '220,000원 예매하기' }).click();
    await page.getByTestId('reservation-number').waitFor();
    expect(await page.locator('.confirm-details').textContent()).toMatch(
      /Floor 입장 번호 \d+ \(GA석, 110,000원\), Floor 입장 번호 \d+/,
    );
    await page.close();
  });
});
