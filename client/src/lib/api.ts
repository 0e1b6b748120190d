import {
  type CancelBody,
  type CreateHoldBody,
  type CreateReservationBody,
  cancelResultSchema,
  concertDetailSchema,
  concertListSchema,
  type ErrorCode,
  errorBodySchema,
  holdSchema,
  type LookupBody,
  lookupResultSchema,
  type PatchHoldBody,
  reservationSchema,
  scheduleListSchema,
  seatMapSchema,
} from '@seatmap/shared';
import type { z } from 'zod';

/** An API error with its closed code; `status` 0 means the network failed. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** Seat ids named by a 409 SEAT_UNAVAILABLE. */
  get unavailableSeatIds(): string[] {
    const ids = this.details.unavailableSeatIds;
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  }
}

async function request<S extends z.ZodType>(
  method: string,
  path: string,
  schema: S | null,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<z.infer<S>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, 'SERVICE_UNAVAILABLE', err instanceof Error ? err.message : 'network error');
  }
  if (res.status === 204) return undefined as z.infer<S>;
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const parsed = errorBodySchema.safeParse(json);
    if (parsed.success) {
      const { code, message, details } = parsed.data.error;
      throw new ApiError(res.status, code, message, details);
    }
    throw new ApiError(res.status, res.status >= 500 ? 'INTERNAL_ERROR' : 'NOT_FOUND', `HTTP ${res.status}`);
  }
  if (!schema) return json as z.infer<S>;
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ApiError(res.status, 'INTERNAL_ERROR', `Unexpected response from ${path}`);
  return parsed.data;
}

const enc = encodeURIComponent;

export const api = {
  concerts: () => request('GET', '/api/concerts', concertListSchema),
  concert: (id: string) => request('GET', `/api/concerts/${enc(id)}`, concertDetailSchema),
  schedules: (concertId: string, date: string) =>
    request('GET', `/api/concerts/${enc(concertId)}/schedules?date=${enc(date)}`, scheduleListSchema),
  seats: (scheduleId: string) => request('GET', `/api/schedules/${enc(scheduleId)}/seats`, seatMapSchema),
  createHold: (scheduleId: string, body: CreateHoldBody) =>
    request('POST', `/api/schedules/${enc(scheduleId)}/holds`, holdSchema, body),
  patchHold: (holdId: string, body: PatchHoldBody) => request('PATCH', `/api/holds/${enc(holdId)}`, holdSchema, body),
  getHold: (holdId: string) => request('GET', `/api/holds/${enc(holdId)}`, holdSchema),
  releaseHold: (holdId: string) => request('DELETE', `/api/holds/${enc(holdId)}`, null),
  reserve: (body: CreateReservationBody, idempotencyKey: string) =>
    request('POST', '/api/reservations', reservationSchema, body, { 'idempotency-key': idempotencyKey }),
  lookup: (body: LookupBody) => request('POST', '/api/reservations/lookup', lookupResultSchema, body),
  cancel: (reservationNumber: string, body: CancelBody) =>
    request('POST', `/api/reservations/${enc(reservationNumber)}/cancel`, cancelResultSchema, body),
};

export type ConcertDetail = z.infer<typeof concertDetailSchema>;
export type ScheduleSummary = z.infer<typeof scheduleListSchema>['schedules'][number];
