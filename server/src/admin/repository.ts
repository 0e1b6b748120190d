import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';
import type { NewConcert } from '../db/tables.ts';

export function insertConcert(db: DbOrTx, row: NewConcert) {
  return db.insertInto('concerts').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Every concert, newest first, with how many performances it has (past ones included). */
export function listConcerts(db: DbOrTx) {
  return db
    .selectFrom('concerts as c')
    .leftJoin('schedules as s', 's.concert_id', 'c.id')
    .groupBy('c.id')
    .select([
      'c.id',
      'c.title',
      'c.description',
      'c.poster_image_url',
      'c.venue',
      'c.timezone',
      'c.created_at',
      sql<string>`count(s.id)`.as('schedule_count'),
    ])
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id')
    .execute();
}

export function findConcert(db: DbOrTx, concertId: string) {
  return db.selectFrom('concerts').select(['id', 'timezone']).where('id', '=', concertId).executeTakeFirst();
}

/** Every performance of a concert, ascending, past ones included, with its number of seats. */
export function listSchedules(db: DbOrTx, concertId: string) {
  return db
    .selectFrom('schedules as s')
    .leftJoin('seats as st', 'st.schedule_id', 's.id')
    .where('s.concert_id', '=', concertId)
    .groupBy(['s.id', 's.concert_id', 's.date_time'])
    .select(['s.id', 's.concert_id', 's.date_time', sql<string>`count(st.id)`.as('total_seats')])
    .orderBy('s.date_time')
    .orderBy('s.id')
    .execute();
}

export function findSchedule(db: DbOrTx, scheduleId: string) {
  return db
    .selectFrom('schedules as s')
    .innerJoin('concerts as c', 'c.id', 's.concert_id')
    .select(['s.id', 's.date_time', 'c.title', 'c.timezone'])
    .where('s.id', '=', scheduleId)
    .executeTakeFirst();
}

/**
 * Per grade: seats, seats in a confirmed reservation and their revenue (from the database), and how many of the
 * given held seats are not reserved, so a seat lands in exactly one bucket even while a booking's hold is being
 * consumed; seats not for sale (SPEC §12) are counted apart. Standing places count under their area's grade. Both
 * the booked seats and the held ids are hash-joined, which keeps a 50,000-seat stadium cheap.
 */
export function gradeCounts(db: DbOrTx, scheduleId: string, heldSeatIds: string[]) {
  return sql<{
    grade: string;
    price: number;
    total: string;
    reserved: string;
    held: string;
    withheld: string;
    revenue: string;
  }>`
    WITH booked AS (
      SELECT DISTINCT unnest(seat_ids) AS seat_id
      FROM reservations
      WHERE schedule_id = ${scheduleId} AND status = 'confirmed'
    ), held AS (
      SELECT DISTINCT unnest(${heldSeatIds}::uuid[]) AS seat_id
    )
    SELECT st.grade,
           max(st.price) AS price,
           count(*) AS total,
           count(b.seat_id) AS reserved,
           count(h.seat_id) FILTER (WHERE b.seat_id IS NULL) AS held,
           count(*) FILTER (WHERE st.withheld_reason IS NOT NULL AND b.seat_id IS NULL AND h.seat_id IS NULL) AS withheld,
           coalesce(sum(st.price) FILTER (WHERE b.seat_id IS NOT NULL), 0) AS revenue
    FROM seats st
    LEFT JOIN booked b ON b.seat_id = st.id
    LEFT JOIN held h ON h.seat_id = st.id
    WHERE st.schedule_id = ${scheduleId}
    GROUP BY st.grade
    ORDER BY max(st.price) DESC, st.grade`.execute(db);
}

/** Reservations of a performance, newest first; `since` keeps only those created after it. */
export function listReservations(db: DbOrTx, scheduleId: string, options: { since?: Date; limit?: number } = {}) {
  let query = db
    .selectFrom('reservations')
    .select([
      'id',
      'reservation_number',
      'status',
      'customer_name',
      'customer_phone',
      'customer_email',
      'seat_ids',
      'total_price',
      'created_at',
      'cancelled_at',
    ])
    .where('schedule_id', '=', scheduleId);
  // Compared at the millisecond precision the API shows, so passing back the newest createdAt seen excludes it.
  if (options.since) query = query.where(sql<Date>`date_trunc('milliseconds', created_at)`, '>', options.since);
  query = query.orderBy('created_at', 'desc').orderBy('id', 'desc');
  if (options.limit !== undefined) query = query.limit(options.limit);
  return query.execute();
}
