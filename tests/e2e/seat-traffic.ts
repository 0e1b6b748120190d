import type { Page, WebSocketRoute } from 'playwright-core';
import { expect } from 'vitest';

type Status = 'available' | 'held' | 'reserved';

/**
 * What a seat page asks the server for its seats, by kind, with the layout URLs asked for. The page's Socket.IO
 * connection is routed through the test, which can drop `seats:changed` messages (a gap) or close it (a reconnect).
 */
export interface SeatTraffic {
  layout: string[];
  status: number;
  seats: number;
  /** The next `drop` seats:changed messages from the server are not delivered. */
  drop: number;
  /** Closes the page's live connection as a network loss would; Socket.IO reconnects by itself. */
  cut(): void;
}

/** Call before the page's first navigation. */
export async function watchSeatTraffic(page: Page): Promise<SeatTraffic> {
  let socket: WebSocketRoute | null = null;
  const traffic: SeatTraffic = {
    layout: [],
    status: 0,
    seats: 0,
    drop: 0,
    cut: () => void socket?.close({ code: 4000, reason: 'test cut' }),
  };
  page.on('request', (req) => {
    const path = new URL(req.url()).pathname;
    if (path.endsWith('/layout')) traffic.layout.push(req.url());
    else if (path.endsWith('/status')) traffic.status++;
    else if (/\/api\/schedules\/[^/]+\/seats$/.test(path)) traffic.seats++;
  });
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    socket = ws;
    const server = ws.connectToServer();
    server.onMessage((message) => {
      if (traffic.drop > 0 && typeof message === 'string' && message.includes('"seats:changed"')) {
        traffic.drop--;
        return;
      }
      ws.send(message);
    });
    ws.onMessage((message) => server.send(message));
  });
  return traffic;
}

export interface MapHook {
  version(): number;
  resyncs(): number;
  statuses(): [string, Status][];
}

export const resyncs = (page: Page) =>
  page.evaluate(() => (window as unknown as { __seatmap: MapHook }).__seatmap.resyncs());

/** Waits until the page's map is at the server's version, then compares it with `GET …/seats` seat by seat. */
export async function expectMapEqualsSeats(page: Page, baseUrl: string, scheduleId: string): Promise<void> {
  const served = (await (await fetch(`${baseUrl}/api/schedules/${scheduleId}/seats`)).json()) as {
    version: number;
    seats: { id: string; status: Status }[];
  };
  await page.waitForFunction(
    (v) => (window as unknown as { __seatmap?: MapHook }).__seatmap?.version() === v,
    served.version,
  );
  const shown = new Map(await page.evaluate(() => (window as unknown as { __seatmap: MapHook }).__seatmap.statuses()));
  expect(shown.size).toBe(served.seats.length);
  expect(served.seats.filter((s) => shown.get(s.id) !== s.status)).toEqual([]);
}
