import { createHash } from 'node:crypto';
import { type CancelBody, type LookupBody, maskReservationNumber, normalizePhone } from '@seatmap/shared';
import { AppError } from '../errors.ts';
import type { RateWindow, WindowLimit } from '../limits/rate-window.ts';
import type { ReservationService } from './reservation-service.ts';

/** SPEC §11: after 5 failures for one phone, email or reservation number within 15 minutes, that identity gets 429. */
export const LOCKOUT_LIMIT: WindowLimit = { max: 5, windowMs: 15 * 60_000 };

/**
 * The identities an attempt names, hashed (Redis never holds a phone or email in clear). The client address plays
 * no part: rotating addresses (or forged X-Forwarded-For) changes nothing.
 */
export function identitiesOf(factors: { phone?: string; email?: string; reservationNumber?: string }): string[] {
  const named = [
    factors.phone !== undefined && `phone:${normalizePhone(factors.phone)}`,
    factors.email !== undefined && `email:${factors.email.trim().toLowerCase()}`,
    factors.reservationNumber !== undefined && `number:${factors.reservationNumber.trim().toUpperCase()}`,
  ].filter((v): v is string => v !== false);
  return named.map((v) => createHash('sha256').update(v).digest('base64url').slice(0, 22));
}

type Taken = { key: string; ticket: string }[];

/**
 * Lookup and cancellation behind the per-identity lockout. Every attempt takes a slot for each identity it names
 * before it runs — so 100 concurrent guesses get 5 tries between them, not 100 — and gives the slots back when
 * it succeeds (or when a backing service failed); a wrong guess keeps its slot for 15 minutes. A lookup by name
 * shows reservation numbers masked: the full number, shown only at booking, is what cancels.
 */
export function withLockout(reservations: ReservationService, window: RateWindow): ReservationService {
  async function takeAll(identities: string[]): Promise<Taken> {
    const taken: Taken = [];
    for (const key of identities) {
      const answer = await window.take(key).catch(async (err: unknown) => {
        await giveBack(taken);
        throw err;
      });
      if (!answer.ok) {
        await giveBack(taken);
        const retryAfterSeconds = Math.ceil(answer.retryAfterMs / 1000);
        throw new AppError(429, 'RATE_LIMITED', `Too many failed attempts; retry in ${retryAfterSeconds} s`, {
          retryAfterSeconds,
        });
      }
      taken.push({ key, ticket: answer.ticket });
    }
    return taken;
  }

  async function giveBack(taken: Taken) {
    await Promise.all(taken.map(({ key, ticket }) => window.giveBack(key, ticket)));
  }

  /** Runs `attempt`; `failed` says whether its outcome (or error) is a wrong guess that keeps its slots. */
  async function guarded<T>(
    identities: string[],
    attempt: () => Promise<T>,
    failed: (r: { value?: T; err?: unknown }) => boolean,
  ) {
    const taken = await takeAll(identities);
    let value: T;
    try {
      value = await attempt();
    } catch (err) {
      if (!failed({ err })) await giveBack(taken);
      throw err;
    }
    if (!failed({ value })) await giveBack(taken);
    return value;
  }

  return {
    ...reservations,
    async lookup(body: LookupBody) {
      const result = await guarded(
        identitiesOf(body),
        () => reservations.lookup(body),
        ({ value }) => value !== undefined && value.reservations.length === 0,
      );
      if (body.name === undefined) return result;
      return {
        reservations: result.reservations.map((r) => ({
          ...r,
          reservationNumber: maskReservationNumber(r.reservationNumber),
        })),
      };
    },

    cancel(reservationNumber: string, body: CancelBody) {
      return guarded(
        identitiesOf({ ...body, reservationNumber }),
        () => reservations.cancel(reservationNumber, body),
        ({ err }) => err instanceof AppError && err.code === 'RESERVATION_NOT_FOUND',
      );
    },
  };
}
