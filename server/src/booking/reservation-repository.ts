import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';
import type { NewReservation } from '../db/tables.ts';

/** Locks the seats of a booking (seed query 5: SELECT … FOR UPDATE), in id order so bookings never deadlock. */
export function lockSeats(trx: DbOrTx, scheduleId: string, seatIds: string[]) {
  return trx
    .selectFrom('seats')
    .select(['id', 'seat_number', 'grade', 'price', 'status'])
    .where('schedule_id', '=', scheduleId)
    .where('id', 'in', seatIds)
    .orderBy('id')
    .forUpdate()
    .execute();
}

export function insertReservation(trx: DbOrTx, row: NewReservation) {
  return trx.insertInto('reservations').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Marks seats reserved; only seats still available change, so the caller checks the row count. */
export async function markSeatsReserved(trx: DbOrTx, seatIds: string[]): Promise<number> {
  const result = await trx
    .updateTable('seats')
    .set({ status: 'reserved' })
    .where('id', 'in', seatIds)
    .where('status', '=', 'available')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
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

export type ReservationView = Awaited<ReturnType<typeof findByIdempotencyKey>> & {};

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
