import {
  adminConcertListSchema,
  adminConcertSchema,
  adminReservationListSchema,
  adminScheduleListSchema,
  adminScheduleSchema,
  type CreateConcertBody,
  type CreatePresaleBody,
  type CreateScheduleBody,
  presaleCodeListSchema,
  presaleListSchema,
  presaleSchema,
  type QueueConfigBody,
  queueConfigSchema,
  type SeatsForSaleBody,
  seatsForSaleResultSchema,
  statsSchema,
  withheldSeatListSchema,
} from '@seatmap/shared';
import type { z } from 'zod';
import { request, send } from '../lib/http.ts';

let token: string | null = null;

/**
 * The admin token lives in this page's memory only: never in storage a script or another tab could read later, gone
 * on reload (the clerk signs in again).
 */
export const adminToken = {
  get: (): string | null => token,
  set(value: string | null): void {
    token = value;
  },
};

const auth = (token: string, accept = 'application/json') => ({ authorization: `Bearer ${token}`, accept });

function get<S extends z.ZodType>(path: string, token: string, schema: S): Promise<z.infer<S>> {
  return request('GET', path, schema, { headers: auth(token) });
}

function write<S extends z.ZodType>(
  method: 'POST' | 'PUT' | 'PATCH',
  path: string,
  token: string,
  schema: S,
  body: unknown,
): Promise<z.infer<S>> {
  return request(method, path, schema, { headers: auth(token), body });
}

const enc = encodeURIComponent;

/** The box-office HTTP API (SPEC §5) with the admin token. */
export const adminApi = {
  concerts: (token: string) => get('/api/admin/concerts', token, adminConcertListSchema),
  schedules: (token: string, concertId: string) =>
    get(`/api/admin/concerts/${enc(concertId)}/schedules`, token, adminScheduleListSchema),
  stats: (token: string, scheduleId: string) =>
    get(`/api/admin/schedules/${enc(scheduleId)}/stats`, token, statsSchema),
  reservations: (token: string, scheduleId: string, since?: string) =>
    get(
      `/api/admin/schedules/${enc(scheduleId)}/reservations${since ? `?since=${enc(since)}` : ''}`,
      token,
      adminReservationListSchema,
    ),
  createConcert: (token: string, body: CreateConcertBody) =>
    write('POST', '/api/admin/concerts', token, adminConcertSchema, body),
  createSchedule: (token: string, concertId: string, body: CreateScheduleBody) =>
    write('POST', `/api/admin/concerts/${enc(concertId)}/schedules`, token, adminScheduleSchema, body),
  /** The concert's waiting room (SPEC §10); QUEUE_NOT_FOUND when it has none yet. */
  queue: (token: string, concertId: string) =>
    get(`/api/admin/concerts/${enc(concertId)}/queue`, token, queueConfigSchema),
  putQueue: (token: string, concertId: string, body: QueueConfigBody) =>
    write('PUT', `/api/admin/concerts/${enc(concertId)}/queue`, token, queueConfigSchema, body),
  /** The CSV export as a Blob (the header carries the token, so a plain link cannot fetch it). */
  csv: (token: string, scheduleId: string) =>
    csvFile(`/api/admin/schedules/${enc(scheduleId)}/reservations`, token, 'reservations.csv'),
  // Seats not for sale (SPEC §12)
  withheld: (token: string, scheduleId: string) =>
    get(`/api/admin/schedules/${enc(scheduleId)}/seats`, token, withheldSeatListSchema),
  setForSale: (token: string, scheduleId: string, body: SeatsForSaleBody) =>
    write('PATCH', `/api/admin/schedules/${enc(scheduleId)}/seats`, token, seatsForSaleResultSchema, body),
  // Presale windows (SPEC §12)
  presales: (token: string, concertId: string) =>
    get(`/api/admin/concerts/${enc(concertId)}/presales`, token, presaleListSchema),
  createPresale: (token: string, concertId: string, body: CreatePresaleBody) =>
    write('POST', `/api/admin/concerts/${enc(concertId)}/presales`, token, presaleSchema, body),
  presaleCodes: (token: string, presaleId: string) =>
    get(`/api/admin/presales/${enc(presaleId)}/codes`, token, presaleCodeListSchema),
  presaleCodesCsv: (token: string, presaleId: string) =>
    csvFile(`/api/admin/presales/${enc(presaleId)}/codes`, token, 'presale-codes.csv'),
  deletePresale: (token: string, presaleId: string) =>
    request('DELETE', `/api/admin/presales/${enc(presaleId)}`, null, { headers: auth(token) }),
};

/** A CSV answer of an admin route as a Blob with the server's file name. */
async function csvFile(path: string, token: string, fallback: string): Promise<{ blob: Blob; filename: string }> {
  const res = await send('GET', path, { headers: auth(token, 'text/csv') });
  const filename = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallback;
  return { blob: await res.blob(), filename };
}

export type AdminConcertItem = z.infer<typeof adminConcertListSchema>['concerts'][number];

/** Hands a fetched file to the browser's download. */
export function saveFile({ blob, filename }: { blob: Blob; filename: string }): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
