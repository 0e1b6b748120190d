import {
  type CancelBody,
  type CreateHoldBody,
  type CreateReservationBody,
  cancelResultSchema,
  concertDetailSchema,
  concertListSchema,
  holdSchema,
  type LookupBody,
  layoutSchema,
  layoutSeatSchema,
  lookupResultSchema,
  type PatchHoldBody,
  type PublicConfig,
  publicConfigSchema,
  reservationSchema,
  scheduleListSchema,
  scheduleStatusSchema,
} from '@seatmap/shared';
import type { z } from 'zod';
import { bulkArrayOf } from './bulk-schema.ts';
import { request } from './http.ts';
import { paths } from './paths.ts';

const enc = encodeURIComponent;

/** A stadium's layout has 50,000 seats: checked by one loop, not 50,000 jitless zod parses (bulk-schema.ts). */
export const layoutAnswer = layoutSchema.extend({ seats: bulkArrayOf(layoutSeatSchema) });

/**
 * Extra headers for one concert's booking calls (holds, hold changes, reservations) — the seam for a waiting
 * room's admission token and a presale code (SPEC §10, §12): whoever obtains one sets its header here, every
 * booking call of that concert carries it, and `null` removes that header (the others stay).
 */
const concertHeaders = new Map<string, Record<string, string>>();

export function setConcertHeader(concertId: string, name: string, value: string | null): void {
  const { [name]: _old, ...rest } = concertHeaders.get(concertId) ?? {};
  concertHeaders.set(concertId, value === null ? rest : { ...rest, [name]: value });
}

/** A layout at its version: the server answers it `immutable`, so the browser fetches it once and keeps it. */
export const layoutPath = (scheduleId: string, layoutVersion: string) =>
  `/api/schedules/${enc(scheduleId)}/layout?v=${enc(layoutVersion)}`;

/** Browse, lookup and cancel (public, no per-concert headers). */
export const api = {
  concerts: () => request('GET', '/api/concerts', concertListSchema),
  concert: (id: string) => request('GET', paths.concert(id), concertDetailSchema),
  schedules: (concertId: string, date: string) => request('GET', paths.schedules(concertId, date), scheduleListSchema),
  /** SPEC §9: one character per seat, in the layout's seat order. */
  status: (scheduleId: string) => request('GET', paths.status(scheduleId), scheduleStatusSchema),
  layout: (scheduleId: string, layoutVersion: string) =>
    request('GET', layoutPath(scheduleId, layoutVersion), layoutAnswer),
  lookup: (body: LookupBody) => request('POST', '/api/reservations/lookup', lookupResultSchema, { body }),
  cancel: (reservationNumber: string, body: CancelBody) =>
    request('POST', `/api/reservations/${enc(reservationNumber)}/cancel`, cancelResultSchema, { body }),
};

/** Holds and the reservation for one concert; every call carries that concert's extra headers. */
export function bookingApi(concertId: string) {
  const headers = (extra: Record<string, string> = {}) => ({ ...concertHeaders.get(concertId), ...extra });
  return {
    createHold: (scheduleId: string, body: CreateHoldBody) =>
      request('POST', `/api/schedules/${enc(scheduleId)}/holds`, holdSchema, { body, headers: headers() }),
    patchHold: (holdId: string, body: PatchHoldBody) =>
      request('PATCH', `/api/holds/${enc(holdId)}`, holdSchema, { body, headers: headers() }),
    getHold: (holdId: string) => request('GET', `/api/holds/${enc(holdId)}`, holdSchema, { headers: headers() }),
    releaseHold: (holdId: string) =>
      request('DELETE', `/api/holds/${enc(holdId)}`, null, { headers: headers() }).then(() => undefined),
    reserve: (body: CreateReservationBody, idempotencyKey: string) =>
      request('POST', '/api/reservations', reservationSchema, {
        body,
        headers: headers({ 'idempotency-key': idempotencyKey }),
      }),
  };
}
export type BookingApi = ReturnType<typeof bookingApi>;

let publicConfig: Promise<PublicConfig> | null = null;

/** The server's customer limits (`GET /api/config`), fetched once per page load; a failure is retried next time. */
export function limits(): Promise<PublicConfig> {
  publicConfig ??= request('GET', paths.config, publicConfigSchema).catch((err: unknown) => {
    publicConfig = null;
    throw err;
  });
  return publicConfig;
}

export type ConcertDetail = z.infer<typeof concertDetailSchema>;
export type ScheduleSummary = z.infer<typeof scheduleListSchema>['schedules'][number];
