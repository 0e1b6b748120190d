import { createHash } from 'node:crypto';
import {
  type AreaTicket,
  type CancelBody,
  type CreateReservationBody,
  type LookupBody,
  type LookupItem,
  normalizePhone,
  type Reservation,
} from '@seatmap/shared';
import type { CatalogService } from '../catalog/service.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { inTransaction, uniqueViolation, withRetry } from '../db/transaction.ts';
import { AppError, alreadyCancelled, holdNotFound, notFound } from '../errors.ts';
import type { HoldStore } from '../holds/hold-store.ts';
import { afterCommit } from '../retry.ts';
import { isoInZone } from '../time.ts';
import { type Presales, type PresaleUse, presaleCodeInvalid } from './presale.ts';
import { personsOf, purchaseLimitError } from './purchase-limit.ts';
import { reservationAnswer, type SeatDetail, ticketsOf } from './reservation-answer.ts';
import { newReservationNumber } from './reservation-number.ts';
import * as repo from './reservation-repository.ts';

export interface ReservationServiceDeps {
  config: Config;
  db: Db;
  holdStore: HoldStore;
  catalog: CatalogService;
  now: () => Date;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** After each booking commits (once per booking: an idempotent replay is not one). */
  onBooked?: () => void;
  /** SPEC §12 presale windows; without it no performance is ever in presale. */
  presales?: Presales;
}

/** How long a hold being booked cannot expire: covers the transaction with its retries. */
const CLAIM_LEASE_MS = 30_000;
const RESERVATION_NUMBER_ATTEMPTS = 5;

function requestHash(body: CreateReservationBody): string {
  const canonical = JSON.stringify([
    body.holdId,
    body.customer.name,
    normalizePhone(body.customer.phone),
    body.customer.email?.toLowerCase() ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

type StoredReservation = NonNullable<Awaited<ReturnType<typeof repo.findByNumber>>>;
type ClaimedHold = NonNullable<Awaited<ReturnType<HoldStore['claim']>>>;
type Layout = Awaited<ReturnType<CatalogService['requireLayout']>>;

/** A booking request as the steps see it: the body, its Idempotency-Key, and the hash the key is bound to. */
interface BookingRequest {
  body: CreateReservationBody;
  idempotencyKey: string | undefined;
  hash: string;
  /** `X-Presale-Code`, needed inside a presale window (SPEC §12). */
  presaleCode: string | undefined;
}

/** What the booking statement came to: booked, or why not — values, not exceptions. */
type BookOutcome =
  | { kind: 'booked'; reservationNumber: string; totalPrice: number; createdAt: Date }
  | { kind: 'seats-taken'; seatIds: string[] }
  | { kind: 'purchase-limit'; limit: number; alreadyBooked: number }
  | { kind: 'presale-used-up' }
  /** A unique constraint fired: the idempotency key, the hold id, or the reservation numbers ran out. */
  | { kind: 'duplicate'; constraint: string; error: unknown };

export function createReservationService(deps: ReservationServiceDeps) {
  const { config, db, holdStore, catalog, now, log } = deps;

  /** Every seat id's details, read once for many reservations; `of` splits one reservation's ids into its tickets. */
  async function ticketDetails(seatIds: string[]) {
    const byId = new Map((await repo.seatsByIds(db, seatIds)).map((r) => [r.id, r]));
    return {
      of(ids: string[]): { seats: SeatDetail[]; areaTickets: AreaTicket[] } {
        const seats: SeatDetail[] = [];
        const areaTickets: AreaTicket[] = [];
        for (const id of ids) {
          const r = byId.get(id);
          if (!r) continue;
          if (r.area_id === null) seats.push({ id: r.id, seatNumber: r.seat_number, grade: r.grade, price: r.price });
          else {
            areaTickets.push({
              areaId: r.area_id,
              name: r.area_name ?? '',
              grade: r.grade,
              price: r.price,
              entryNumber: r.position,
            });
          }
        }
        areaTickets.sort((a, b) => a.areaId.localeCompare(b.areaId) || a.entryNumber - b.entryNumber);
        return { seats, areaTickets };
      },
    };
  }

  async function storedAnswer(row: StoredReservation): Promise<Reservation> {
    return reservationAnswer({
      reservationNumber: row.reservation_number,
      concert: { id: row.concert_id, title: row.concert_title },
      schedule: { id: row.schedule_id, dateTime: new Date(row.date_time), timezone: row.timezone },
      ...(await ticketDetails(row.seat_ids)).of(row.seat_ids),
      totalPrice: row.total_price,
      customer: { name: row.customer_name, phone: row.customer_phone, email: row.customer_email },
      createdAt: new Date(row.created_at),
    });
  }

  /** Same key + same body → the first answer again; same key + another body → 422; no key or a new one → null. */
  async function replay({ idempotencyKey, hash }: BookingRequest): Promise<Reservation | null> {
    if (!idempotencyKey) return null;
    const existing = await repo.findByIdempotencyKey(db, idempotencyKey);
    if (!existing) return null;
    if (existing.request_hash !== hash) {
      throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for another request');
    }
    return storedAnswer(existing);
  }

  /**
   * Step 1: claim the hold (still live and owning every seat; its expiry pushed past a lease, so it cannot expire
   * mid-booking), or — when it is gone — replay the first answer of a repeated request. The Idempotency-Key is only
   * read when the booking cannot go ahead.
   */
  async function claimOrReplay(
    request: BookingRequest,
  ): Promise<{ replayed: Reservation } | { hold: ClaimedHold; layout: Layout; presale: PresaleUse | null }> {
    const hold = await holdStore.claim(request.body.holdId, CLAIM_LEASE_MS);
    if (!hold) {
      const earlier = await replay(request);
      if (earlier) return { replayed: earlier };
      throw holdNotFound();
    }
    const layout = await catalog.requireLayout(hold.scheduleId);
    if (layout.dateTime.getTime() <= now().getTime()) {
      throw new AppError(409, 'SCHEDULE_CLOSED', 'This performance has already started');
    }
    const presale = deps.presales
      ? await deps.presales.check(layout.concertId, layout.timezone, request.presaleCode)
      : null;
    return { hold, layout, presale };
  }

  /**
   * Step 2: the booking, one atomic statement (see bookSeats), retried on deadlock or serialisation failure, and
   * with a fresh reservation number when one collides.
   */
  async function book(
    hold: ClaimedHold,
    presale: PresaleUse | null,
    { body, idempotencyKey, hash }: BookingRequest,
  ): Promise<BookOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await withRetry(() =>
          repo.bookSeats(db, {
            scheduleId: hold.scheduleId,
            seatIds: hold.seatIds,
            customerName: body.customer.name,
            customerPhone: normalizePhone(body.customer.phone),
            customerEmail: body.customer.email ?? null,
            reservationNumber: newReservationNumber(),
            idempotencyKey: idempotencyKey ?? null,
            requestHash: hash,
            holdId: hold.holdId,
            persons: personsOf(body.customer),
            defaultLimit: config.MAX_TICKETS_PER_PERSON,
            presale,
          }),
        );
        if (result.ok) {
          const { reservationNumber, totalPrice, createdAt } = result;
          return { kind: 'booked', reservationNumber, totalPrice, createdAt };
        }
        if ('purchaseLimit' in result) return { kind: 'purchase-limit', ...result.purchaseLimit };
        if ('presaleUsedUp' in result) return { kind: 'presale-used-up' };
        return { kind: 'seats-taken', seatIds: result.takenSeatIds };
      } catch (err) {
        const constraint = uniqueViolation(err);
        if (!constraint) throw err;
        if (constraint.includes('reservation_number') && attempt < RESERVATION_NUMBER_ATTEMPTS) continue;
        return { kind: 'duplicate', constraint, error: err };
      }
    }
  }

  /** Step 3, after commit: the hold is consumed and watchers see the seats reserved. */
  async function consumeAfterCommit(hold: ClaimedHold): Promise<void> {
    try {
      await afterCommit(() => holdStore.consume(hold.holdId, hold.scheduleId, hold.seatIds));
    } catch (err) {
      // The reservation stands; the expiry sweep re-checks the database before freeing these seats.
      log.warn({ err, holdId: hold.holdId }, 'hold not consumed after booking');
    }
  }

  /** A booking that did not go ahead: a repeated request gets its first answer, anything else its error. */
  async function refusal(
    hold: ClaimedHold,
    request: BookingRequest,
    outcome: Exclude<BookOutcome, { kind: 'booked' }>,
  ): Promise<Reservation> {
    if (outcome.kind === 'purchase-limit') throw purchaseLimitError(outcome.limit, outcome.alreadyBooked);
    if (outcome.kind === 'presale-used-up') throw presaleCodeInvalid('used_up');
    const earlier = await replay(request);
    if (earlier) return earlier;
    if (outcome.kind === 'duplicate') {
      if (outcome.constraint.includes('hold_id')) {
        throw notFound('HOLD_NOT_FOUND', 'The hold was already used for a reservation');
      }
      throw outcome.error;
    }
    // The database is the authority: mark what it has reserved and give up the stale hold.
    if (outcome.seatIds.length) await holdStore.markReserved(hold.scheduleId, outcome.seatIds);
    await holdStore.release(hold.holdId);
    throw new AppError(409, 'SEAT_UNAVAILABLE', 'Some seats were already reserved', {
      unavailableSeatIds: outcome.seatIds,
    });
  }

  return {
    /** claim-or-replay → book → after-commit → answer. */
    async create(body: CreateReservationBody, idempotencyKey?: string, presaleCode?: string): Promise<Reservation> {
      const request: BookingRequest = { body, idempotencyKey, hash: requestHash(body), presaleCode };
      const claimed = await claimOrReplay(request);
      if ('replayed' in claimed) return claimed.replayed;
      const { hold, layout, presale } = claimed;
      const outcome = await book(hold, presale, request);
      if (outcome.kind !== 'booked') return refusal(hold, request, outcome);
      deps.onBooked?.();
      await consumeAfterCommit(hold);
      return reservationAnswer({
        reservationNumber: outcome.reservationNumber,
        concert: { id: layout.concertId, title: layout.concertTitle },
        schedule: { id: layout.scheduleId, dateTime: layout.dateTime, timezone: layout.timezone },
        ...ticketsOf(layout, hold.seatIds),
        totalPrice: outcome.totalPrice,
        customer: { name: body.customer.name, phone: body.customer.phone, email: body.customer.email ?? null },
        createdAt: outcome.createdAt,
      });
    },

    async lookup(body: LookupBody): Promise<{ reservations: LookupItem[] }> {
      const rows = await repo.lookup(db, {
        ...(body.phone !== undefined ? { phone: normalizePhone(body.phone) } : {}),
        ...(body.email !== undefined ? { email: body.email } : {}),
        ...(body.reservationNumber !== undefined ? { reservationNumber: body.reservationNumber.toUpperCase() } : {}),
        ...(body.name !== undefined ? { name: body.name } : {}),
      });
      const tickets = await ticketDetails(rows.flatMap((r) => r.seat_ids));
      return {
        reservations: rows.map((r) => ({
          reservationNumber: r.reservation_number,
          concertTitle: r.concert_title,
          dateTime: isoInZone(new Date(r.date_time), r.timezone),
          ...tickets.of(r.seat_ids),
          totalPrice: r.total_price,
          status: r.status,
          createdAt: new Date(r.created_at).toISOString(),
          cancelledAt: r.cancelled_at ? new Date(r.cancelled_at).toISOString() : null,
        })),
      };
    },

    async cancel(reservationNumber: string, body: CancelBody) {
      const number = reservationNumber.trim().toUpperCase();
      const result = await inTransaction(db, async (trx) => {
        const row = await repo.lockByNumber(trx, number);
        const contactMatches =
          row &&
          (body.phone === undefined || row.customer_phone === normalizePhone(body.phone)) &&
          (body.email === undefined || row.customer_email?.toLowerCase() === body.email.toLowerCase());
        // A wrong contact answers exactly like a missing reservation.
        if (!row || !contactMatches) throw notFound('RESERVATION_NOT_FOUND', 'No reservation matches');
        if (row.status === 'cancelled') throw alreadyCancelled();
        const cutoff = new Date(row.date_time).getTime() - config.CANCEL_CUTOFF_MINUTES * 60_000;
        if (now().getTime() >= cutoff) {
          throw new AppError(
            409,
            'CANCELLATION_CLOSED',
            `Cancellation closes ${config.CANCEL_CUTOFF_MINUTES} minutes before the performance`,
            {
              cutoffMinutes: config.CANCEL_CUTOFF_MINUTES,
            },
          );
        }
        const cancelledAt = await repo.markCancelled(trx, row.id);
        if (!cancelledAt) throw alreadyCancelled();
        await repo.releaseTallies(
          trx,
          row.schedule_id,
          personsOf({ phone: row.customer_phone, email: row.customer_email }),
          row.seat_ids.length,
        );
        const freed = await repo.markSeatsAvailable(trx, row.seat_ids);
        if (freed !== row.seat_ids.length) {
          log.warn(
            { reservationNumber: number, freed, seats: row.seat_ids.length },
            'cancelled seats were not all reserved',
          );
        }
        return { scheduleId: row.schedule_id, seatIds: row.seat_ids, cancelledAt };
      });
      // The cancellation is committed; the store must learn it or the seats stay unsellable until the next marker
      // rebuild, so a brief Redis hiccup is retried.
      await afterCommit(() => holdStore.markAvailable(result.scheduleId, result.seatIds)).catch((err: unknown) => {
        log.error(
          { err, reservationNumber: number, seatIds: result.seatIds },
          'seat markers not updated after cancellation',
        );
        return null;
      });
      return {
        reservationNumber: number,
        status: 'cancelled' as const,
        cancelledAt: new Date(result.cancelledAt).toISOString(),
      };
    },
  };
}

export type ReservationService = ReturnType<typeof createReservationService>;
