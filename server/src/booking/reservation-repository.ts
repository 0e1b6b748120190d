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
}

export type BookingResult =
  | { ok: true; reservationNumber: string; totalPrice: number; createdAt: Date }
  | { ok: false; takenSeatIds: string[] };

/**
 * The booking as ONE atomic statement (one round trip, no BEGIN/COMMIT): lock the seats in id order (seed query
 * 5's SELECT … FOR UPDATE), check every one exists in the performance and is available, insert the reservation
 * priced from the database, mark the seats reserved — and abort the whole statement if the row count differs.
 * Unique violations (reservation number, idempotency key, hold id) abort it too.
 */
export async function bookSeats(db: DbOrTx, input: BookingInput): Promise<BookingResult> {
  const { rows } = await sql<{
    ok: boolean;
    taken: string[];
    reservation_number: string | null;
    total_price: number | null;
    created_at: Date | null;
  }>`
    WITH locked AS (
      SELECT id, price, status FROM seats
      WHERE schedule_id = ${input.scheduleId} AND id = ANY(${input.seatIds}::uuid[])
      ORDER BY id
      FOR UPDATE
    ), checked AS (
      SELECT count(*) = cardinality(${input.seatIds}::uuid[]) AND coalesce(bool_and(status = 'available'), false) AS ok,
             coalesce(sum(price), 0)::int AS total,
             coalesce(array_agg(id) FILTER (WHERE status <> 'available'), '{}') AS taken
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
    )
    SELECT checked.ok, checked.taken, ins.reservation_number, ins.total_price, ins.created_at,
           seatmap_assert(
             NOT checked.ok OR (SELECT count(*) FROM upd) = cardinality(${input.seatIds}::uuid[]),
             'booking marked fewer seats reserved than it locked'
           ) AS consistent
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

export function seatsByIds(db: DbOrTx, seatIds: string[]) {
  if (seatIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('seats').select(['id', 'seat_number', 'grade', 'price']).where('id', 'in', seatIds).execute();
}
