import { type ErrorCode, errorBodySchema } from '@seatmap/shared';
import type { z } from 'zod';
import { takeEarly } from './early-fetch.ts';

/** An API error with its closed code and the server's details; `status` 0 means the network failed. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** Seat ids a detail names (`unavailableSeatIds` of SEAT_UNAVAILABLE, `strandedSeatIds` of ORPHAN_SEAT). */
  seatIds(key: 'unavailableSeatIds' | 'strandedSeatIds'): string[] {
    const ids = this.details[key];
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  }
}

export interface SendOptions {
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * The one fetch wrapper of the client: sends JSON, turns a network failure into status 0 and any non-2xx answer
 * into an ApiError carrying the SPEC error body's code, message and details. Returns the raw response otherwise.
 */
export async function send(method: string, path: string, { body, headers = {} }: SendOptions = {}): Promise<Response> {
  let res: Response;
  try {
    // A plain GET the page asked for before the bundle had run (early-fetch.ts) is answered by that request.
    const early = method === 'GET' && body === undefined && Object.keys(headers).length === 0 ? takeEarly(path) : null;
    res = await (early ??
      fetch(path, {
        method,
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      }));
  } catch (err) {
    throw new ApiError(0, 'SERVICE_UNAVAILABLE', err instanceof Error ? err.message : 'network error');
  }
  if (res.ok) return res;
  const parsed = errorBodySchema.safeParse(await res.json().catch(() => null));
  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    throw new ApiError(res.status, code, message, details);
  }
  throw new ApiError(res.status, res.status >= 500 ? 'INTERNAL_ERROR' : 'NOT_FOUND', `HTTP ${res.status}`);
}

/** `send` plus a response validated by its zod schema (null: no body expected, e.g. 204). */
export async function request<S extends z.ZodType>(
  method: string,
  path: string,
  schema: S | null,
  options?: SendOptions,
): Promise<z.infer<S>> {
  const res = await send(method, path, options);
  if (res.status === 204 || !schema) return undefined as z.infer<S>;
  const parsed = schema.safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new ApiError(res.status, 'INTERNAL_ERROR', `Unexpected response from ${path}`);
  return parsed.data;
}
