import { randomUUID } from 'node:crypto';
import type { BoxOfficeClientToServerEvents, BoxOfficeServerToClientEvents } from '@seatmap/shared';
import type { FastifyInstance } from 'fastify';
import { io, type Socket } from 'socket.io-client';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** Parses RFC 4180 CSV (quoted fields with doubled quotes, commas and line breaks inside quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Holds seats through the public API; returns the hold id. */
export async function hold(app: FastifyInstance, scheduleId: string, seatIds: string[]): Promise<string> {
  const res = await app.inject({ method: 'POST', url: `/api/schedules/${scheduleId}/holds`, payload: { seatIds } });
  if (res.statusCode !== 201) throw new Error(`hold failed: ${res.statusCode} ${res.body}`);
  return JSON.parse(res.body).holdId as string;
}

/** Books a hold through the public API; returns the reservation number. */
export async function book(
  app: FastifyInstance,
  holdId: string,
  customer: { name: string; phone: string; email?: string } = { name: '김민지', phone: '010-1234-5678' },
): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/reservations',
    payload: { holdId, customer },
    headers: { 'idempotency-key': randomUUID() },
  });
  if (res.statusCode !== 201) throw new Error(`booking failed: ${res.statusCode} ${res.body}`);
  return JSON.parse(res.body).reservationNumber as string;
}

export { waitFor } from '../support/wait.ts';

export type BoxOfficeSocket = Socket<BoxOfficeServerToClientEvents, BoxOfficeClientToServerEvents>;

export function boxOffice(url: string, token?: string): BoxOfficeSocket {
  return io(`${url}/boxoffice`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(token !== undefined ? { auth: { token } } : {}),
  });
}

/** Resolves when connected, rejects with the handshake refusal. */
export function connected(socket: BoxOfficeSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}
