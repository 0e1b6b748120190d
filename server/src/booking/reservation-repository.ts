import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';

export interface BookingInput {
  scheduleId: string;
  seatIds: string[];
  customerName: string;
  /** Digits only. */
  customerPhone: string;
  customerEmail: string | null;
  reservationNumber: string;
  idempotencyKey: string | null;
  requestHash: string;
  holdId: string;
  /** The person's purchase tallies (purchase-limit.ts `personsOf`), sorted. */
  persons: string[];
  /** MAX_TICKETS_PER_PERSON, for concerts without their own limit (0 = none). */
  defaultLimit: number;
  /** SPEC §12: inside a presale window, the code use this booking counts (null outside one). */
  presale: { presaleId: string; code: string; maxUses: number } | null;
}

export type BookingResult =
  | { ok: true; reservationNumber: string; totalPrice: number; createdAt: Date }
  | { ok: false; takenSeatIds: string[] }
  | { ok: false; purchaseLimit: { limit: number; alreadyBooked: number } }
  /** The presale code had no use left when this booking came to count one. */
  | { ok: false; presaleUsedUp: true };

/** SQLSTATE of seatmap_purchase_guard (migration 20261202010000-purchase-limits). */
const PURCHASE_LIMIT_SQLSTATE = 'SM409';
/** SQLSTATE of seatmap_presale_guard (migration 20261202030000-venue-inventory). */
const PRESALE_SQLSTATE = 'SM403';

/**
 * The booking as ONE atomic statement (one round trip, no BEGIN/COMMIT): lock the seats in id order (seed query
 * 5's SELECT … FOR UPDATE), check every one exists in the performance and is available, insert the reservation
 * priced from the database, mark the seats reserved — and abort the whole statement if the row count differs.
 * Unique violations (reservation number, idempotency key, hold id) abort it too.
 * Purchase limit (SPEC §11): the person's tallies are upserted with these seats (the upsert waits for the row lock
 * of a concurrent booking of the same person and adds to its committed count), and seatmap_purchase_guard aborts
 * the statement when a new count passes the concert's limit.
 * Seats not for sale (SPEC §12) are refused like booked ones: their reason is on the locked row, so a kill that
 * committed while this statement waited for the lock is seen. Standing places are rows too: each is booked once.
 * Presale (SPEC §12): the code's use is counted here — its row lock orders racing bookings, `uses < max` is checked
 * again on the row as committed, and seatmap_presale_guard aborts the whole booking when no use was left.
 */
export async function bookSeats(db: DbOrTx, input: BookingInput): Promise<BookingResult> {
  try {
    return await bookingStatement(db, input);
  } catch (err) {
    const limit = purchaseLimitOf(err);
    if (limit) return { ok: false, purchaseLimit: limit };
    if ((err as { code?: unknown } | null)?.code === PRESALE_SQLSTATE) return { ok: false, presaleUsedUp: true };
    throw err;
  }
}

function purchaseLimitOf(err: unknown): { limit: number; alreadyBooked: number } | null {
  const e = err as { code?: unknown; detail?: unknown } | null;
  if (e?.code !== PURCHASE_LIMIT_SQLSTATE || typeof e.detail !== 'string') return null;
  const { limit, alreadyBooked } = JSON.parse(e.detail) as { limit: number; alreadyBooked: number };
  return { limit, alreadyBooked };
}

async function bookingStatement(db: DbOrTx, input: BookingInput): Promise<BookingResult> {
  const { rows } = await sql<{
    ok: boolean;
    taken: string[];
    reservation_number: string | null;
    total_price: number | null;
    created_at: Date | null;
  }>`
    WITH locked AS (
      SELECT id, price, status, withheld_reason FROM seats
      WHERE schedule_id = ${input.scheduleId} AND id = ANY(${input.seatIds}::uuid[])
      ORDER BY id
      FOR UPDATE
    ), checked AS (
      SELECT count(*) = cardinality(${input.seatIds}::uuid[])
               AND coalesce(bool_and(status = 'available' AND withheld_reason IS NULL), false) AS ok,
             coalesce(sum(price), 0)::int AS total,
             coalesce(array_agg(id) FILTER (WHERE status <> 'available' OR withheld_reason IS NOT NULL), '{}') AS taken
      FROM locked
    ), ins AS (
      INSERT INTO reservations (schedule_id, seat_ids, total_price, customer_name, customer_phone, customer_email,
                                reservation_number, idempotency_key, request_hash, hold_id)
      SELECT ${input.scheduleId}, ${input.seatIds}::uuid[], total, ${input.customerName}, ${input.customerPhone},
             ${input.customerEmail}, ${input.reservationNumber}, ${input.idempotencyKey}, ${input.requestHash},
             ${input.holdId}
      FROM checked WHERE ok
      RETURNING reservation_number, total_price, created_at
    ), upd AS (
      UPDATE seats SET status = 'reserved'
      WHERE id IN (SELECT id FROM locked) AND status = 'available' AND EXISTS (SELECT 1 FROM ins)
      RETURNING id
    ), cap AS (
      SELECT coalesce(c.max_tickets_per_person, ${input.defaultLimit})::int AS n
      FROM schedules s JOIN concerts c ON c.id = s.concert_id WHERE s.id = ${input.scheduleId}
    ), tally AS (
      INSERT INTO purchase_tallies AS t (schedule_id, person, seats)
      SELECT ${input.scheduleId}, person, cardinality(${input.seatIds}::uuid[])
      FROM checked, unnest(${input.persons}::text[]) AS person
      WHERE checked.ok
      ORDER BY person
      ON CONFLICT (schedule_id, person) DO UPDATE SET seats = t.seats + EXCLUDED.seats
      RETURNING t.seats
    ), presale AS (
      UPDATE presale_codes SET uses = uses + 1
      WHERE presale_id = ${input.presale?.presaleId ?? null}::uuid AND code = ${input.presale?.code ?? null}
        AND uses < ${input.presale?.maxUses ?? 0} AND EXISTS (SELECT 1 FROM checked WHERE ok)
      RETURNING 1
    )
    SELECT checked.ok, checked.taken, ins.reservation_number, ins.total_price, ins.created_at,
           seatmap_assert(
             NOT checked.ok OR (SELECT count(*) FROM upd) = cardinality(${input.seatIds}::uuid[]),
             'booking marked fewer seats reserved than it locked'
           ) AS consistent,
           seatmap_purchase_guard(
             (SELECT max(seats) FROM tally), cardinality(${input.seatIds}::uuid[]), (SELECT n FROM cap)
           ) AS within_limit,
           seatmap_presale_guard(
             NOT checked.ok OR ${input.presale === null}::boolean OR (SELECT count(*) FROM presale) = 1
           ) AS presale_counted
    FROM checked LEFT JOIN ins ON true`.execute(db);
  const row = rows[0]!;
  if (!row.ok || row.reservation_number === null) return { ok: false, takenSeatIds: row.taken };
  return {
    ok: true,
    reservationNumber: row.reservation_number,
    totalPrice: row.total_price!,
    createdAt: new Date(row.created_at!),
  };
}

/** After a cancellation (same transaction): the person's tallies give the seats back. */
export async function releaseTallies(trx: DbOrTx, scheduleId: string, persons: string[], seats: number) {
  await trx
    .updateTable('purchase_tallies')
    .set({ seats: sql`greatest(seats - ${seats}, 0)` })
    .where('schedule_id', '=', scheduleId)
    .where('person', 'in', persons)
    .execute();
}

export async function markSeatsAvailable(trx: DbOrTx, seatIds: string[]): Promise<number> {
  const result = await trx
    .updateTable('seats')
    .set({ status: 'available' })
    .where('id', 'in', seatIds)
    .where('status', '=', 'reserved')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

const reservationColumns = [
  'r.id',
  'r.schedule_id',
  'r.seat_ids',
  'r.total_price',
  'r.customer_name',
  'r.customer_phone',
  'r.customer_email',
  'r.status',
  'r.reservation_number',
  'r.request_hash',
  'r.created_at',
  'r.cancelled_at',
  's.date_time',
  's.concert_id',
  'c.title as concert_title',
  'c.timezone',
] as const;

function reservationsWithConcert(db: DbOrTx) {
  return db
    .selectFrom('reservations as r')
    .innerJoin('schedules as s', 's.id', 'r.schedule_id')
    .innerJoin('concerts as c', 'c.id', 's.concert_id')
    .select(reservationColumns);
}

export function findByIdempotencyKey(db: DbOrTx, key: string) {
  return reservationsWithConcert(db).where('r.idempotency_key', '=', key).executeTakeFirst();
}

export function findByNumber(db: DbOrTx, reservationNumber: string) {
  return reservationsWithConcert(db).where('r.reservation_number', '=', reservationNumber).executeTakeFirst();
}

/** Locks one reservation for cancellation, with its performance's start time. */
export function lockByNumber(trx: DbOrTx, reservationNumber: string) {
  return trx
    .selectFrom('reservations as r')
    .innerJoin('schedules as s', 's.id', 'r.schedule_id')
    .select(['r.id', 'r.schedule_id', 'r.seat_ids', 'r.status', 'r.customer_phone', 'r.customer_email', 's.date_time'])
    .where('r.reservation_number', '=', reservationNumber)
    .forUpdate('r')
    .executeTakeFirst();
}

export async function markCancelled(trx: DbOrTx, id: string): Promise<Date | null> {
  const row = await trx
    .updateTable('reservations')
    .set({ status: 'cancelled', cancelled_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'confirmed')
    .returning('cancelled_at')
    .executeTakeFirst();
  return row?.cancelled_at ?? null;
}

/** Two-factor lookup: every given contact must match, and the number or the name must match too. */
export function lookup(
  db: DbOrTx,
  factors: { phone?: string; email?: string; reservationNumber?: string; name?: string },
) {
  let query = reservationsWithConcert(db);
  if (factors.phone !== undefined) query = query.where('r.customer_phone', '=', factors.phone);
  if (factors.email !== undefined)
    query = query.where(sql<string>`lower(r.customer_email)`, '=', factors.email.toLowerCase());
  if (factors.reservationNumber !== undefined)
    query = query.where('r.reservation_number', '=', factors.reservationNumber);
  if (factors.name !== undefined) query = query.where('r.customer_name', '=', factors.name);
  return query.orderBy('r.created_at', 'desc').limit(50).execute();
}

/** Seats by id, with their standing area (SPEC §12) when they are standing places (`position` = entry number). */
export function seatsByIds(db: DbOrTx, seatIds: string[]) {
  if (seatIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('seats as st')
    .leftJoin('standing_areas as a', 'a.id', 'st.area_id')
    .select(['st.id', 'st.seat_number', 'st.grade', 'st.price', 'st.area_id', 'st.position', 'a.name as area_name'])
    .where('st.id', 'in', seatIds)
    .execute();
}
