import {
  adminConcertListSchema,
  adminReservationListSchema,
  adminScheduleListSchema,
  errorBodySchema,
  statsSchema,
} from '@seatmap/shared';
import type { z } from 'zod';
import { ApiError } from '../lib/api.ts';

const TOKEN_KEY = 'seatmap.adminToken';

/** The admin token lives in sessionStorage: it survives reloads, not the tab. */
export const adminToken = {
  get(): string | null {
    try {
      return sessionStorage.getItem(TOKEN_KEY);
    } catch {
      return null;
    }
  },
  set(token: string | null): void {
    try {
      if (token) sessionStorage.setItem(TOKEN_KEY, token);
      else sessionStorage.removeItem(TOKEN_KEY);
    } catch {
      // Storage disabled: the token lasts for this page only.
    }
  },
};

async function send(path: string, token: string, accept = 'application/json'): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { authorization: `Bearer ${token}`, accept } });
  } catch (err) {
    throw new ApiError(0, 'SERVICE_UNAVAILABLE', err instanceof Error ? err.message : 'network error');
  }
  if (!res.ok) {
    const body = errorBodySchema.safeParse(await res.json().catch(() => null));
    if (body.success) throw new ApiError(res.status, body.data.error.code, body.data.error.message);
    throw new ApiError(res.status, res.status >= 500 ? 'INTERNAL_ERROR' : 'NOT_FOUND', `HTTP ${res.status}`);
  }
  return res;
}

async function get<S extends z.ZodType>(path: string, token: string, schema: S): Promise<z.infer<S>> {
  const parsed = schema.safeParse(await (await send(path, token)).json());
  if (!parsed.success) throw new ApiError(500, 'INTERNAL_ERROR', `Unexpected response from ${path}`);
  return parsed.data;
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
  /** The CSV export as a Blob (the header carries the token, so a plain link cannot fetch it). */
  async csv(token: string, scheduleId: string): Promise<{ blob: Blob; filename: string }> {
    const res = await send(`/api/admin/schedules/${enc(scheduleId)}/reservations`, token, 'text/csv');
    const filename = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'reservations.csv';
    return { blob: await res.blob(), filename };
  },
};

export type AdminConcertItem = z.infer<typeof adminConcertListSchema>['concerts'][number];
