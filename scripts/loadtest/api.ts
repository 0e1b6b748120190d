import {
  concertDetailSchema,
  concertListSchema,
  errorBodySchema,
  type Hold,
  holdSchema,
  type Reservation,
  reservationSchema,
  type SeatMap,
  scheduleListSchema,
  seatMapSchema,
} from '@seatmap/shared';
import type { z } from 'zod';

export interface ApiResponse<T> {
  status: number;
  ms: number;
  /** The parsed 2xx body. */
  data?: T;
  /** The SPEC error body's code and details on 4xx/5xx, or NETWORK_ERROR / BAD_RESPONSE. */
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

/** One node's public HTTP API, every answer checked against the shared wire schemas. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs = 15_000,
  ) {}

  async call<T>(
    method: string,
    path: string,
    schema: z.ZodType<T> | null,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const started = performance.now();
    let res: Response;
    let text: string;
    try {
      res = await fetch(this.baseUrl + path, {
        method,
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      return {
        status: 0,
        ms: performance.now() - started,
        error: { code: 'NETWORK_ERROR', message: err instanceof Error ? err.message : String(err) },
      };
    }
    const ms = performance.now() - started;
    const json = text ? safeJson(text) : null;
    if (res.ok) {
      if (!schema) return { status: res.status, ms };
      const parsed = schema.safeParse(json);
      if (parsed.success) return { status: res.status, ms, data: parsed.data };
      return { status: res.status, ms, error: { code: 'BAD_RESPONSE', message: parsed.error.message } };
    }
    const parsed = errorBodySchema.safeParse(json);
    return {
      status: res.status,
      ms,
      error: parsed.success ? parsed.data.error : { code: 'BAD_RESPONSE', message: text.slice(0, 200) },
    };
  }

  seatMap(scheduleId: string): Promise<ApiResponse<SeatMap>> {
    return this.call('GET', `/api/schedules/${scheduleId}/seats`, seatMapSchema);
  }

  holdSeats(scheduleId: string, body: { seatIds: string[] } | { bestAvailable: { count: number } }) {
    return this.call<Hold>('POST', `/api/schedules/${scheduleId}/holds`, holdSchema, body);
  }

  releaseHold(holdId: string) {
    return this.call<never>('DELETE', `/api/holds/${encodeURIComponent(holdId)}`, null);
  }

  reserve(holdId: string, customer: { name: string; phone: string; email?: string }, idempotencyKey: string) {
    return this.call<Reservation>(
      'POST',
      '/api/reservations',
      reservationSchema,
      { holdId, customer },
      { 'idempotency-key': idempotencyKey },
    );
  }

  /** The first future performance (concerts newest first, dates ascending) with at least `minSeats` free. */
  async firstBookableSchedule(minSeats: number): Promise<string | null> {
    const concerts = await this.call('GET', '/api/concerts', concertListSchema);
    for (const concert of concerts.data?.concerts ?? []) {
      const detail = await this.call('GET', `/api/concerts/${concert.id}`, concertDetailSchema);
      for (const date of detail.data?.dates ?? []) {
        const list = await this.call('GET', `/api/concerts/${concert.id}/schedules?date=${date}`, scheduleListSchema);
        const found = list.data?.schedules.find((s) => s.availableSeats >= minSeats);
        if (found) return found.id;
      }
    }
    return null;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
