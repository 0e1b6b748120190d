import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture } from '../support/fixtures.ts';
import { browserAvailable, buildClient, clickSeat, type E2eServer, launchBrowser, startServer } from './support.ts';

const run = browserAvailable();

describe.runIf(run)('hold expiry in a browser', () => {
  let client: Awaited<ReturnType<typeof buildClient>>;
  let server: E2eServer;
  let browser: Browser;

  beforeAll(async () => {
    client = await buildClient();
    [server, browser] = await Promise.all([startServer(client.dir, { HOLD_TTL_SECONDS: 2 }), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await client?.remove();
  });

  it('d) a short hold TTL: the expiry dialog appears and the seats are free again for others', async () => {
    const fixture = await createFixture(server.app.context.db, { title: '짧은 홀드 콘서트' });
    const seatUrl = `${server.url}/#/concerts/${fixture.concertId}/schedules/${fixture.scheduleId}`;
    const ctxA = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const ctxB = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const [a, b] = await Promise.all([ctxA.newPage(), ctxB.newPage()]);
    await Promise.all([a.goto(seatUrl), b.goto(seatUrl)]);
    await b.getByRole('button', { name: '목록 보기' }).click();

    await clickSeat(a, fixture.seats.A01!);
    await clickSeat(a, fixture.seats.A02!);
    await a.locator('.selection-list li.sel-held').nth(1).waitFor();
    await a.getByRole('button', { name: '예매자 정보 입력' }).first().click();
    await a.getByRole('heading', { name: '예매자 정보' }).waitFor();
    await b.getByRole('button', { name: / A열 1번, .*다른 고객이 선택 중/ }).waitFor({ timeout: 15_000 });

    const dialog = a.getByRole('dialog', { name: '좌석 유지 시간이 끝났습니다' });
    await dialog.waitFor({ timeout: 15_000 });
    expect(await a.locator('.hold-countdown').first().textContent()).toBe('00:00');
    // B's map shows the seats free again, and B can actually hold them.
    await b.getByRole('button', { name: / A열 1번, .*예매 가능/ }).waitFor({ timeout: 15_000 });
    const res = await fetch(`${server.url}/api/schedules/${fixture.scheduleId}/holds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seatIds: [fixture.seats.A01, fixture.seats.A02] }),
    });
    expect(res.status).toBe(201);

    // Closing the dialog returns A to the seat map, with focus back in the page.
    await dialog.getByRole('button', { name: '좌석 다시 선택' }).click();
    await a.locator('.selection-card .empty').waitFor();
    expect(await a.locator('.selection-list li').count()).toBe(0);
    await ctxA.close();
    await ctxB.close();
  });
});
