import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';

/** Concerts with at least one future performance, newest first, with the next performance's time. */
export function listBookableConcerts(db: DbOrTx, now: Date) {
  return db
    .selectFrom('concerts as c')
    .innerJoin('schedules as s', 's.concert_id', 'c.id')
    .where('s.date_time', '>', now)
    .groupBy(['c.id', 'c.title', 'c.poster_image_url', 'c.venue', 'c.timezone', 'c.created_at'])
    .select([
      'c.id',
      'c.title',
      'c.poster_image_url',
      'c.venue',
      'c.timezone',
      sql<Date>`min(s.date_time)`.as('next_date_time'),
    ])
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id')
    .execute();
}

export function findConcert(db: DbOrTx, concertId: string) {
  return db.selectFrom('concerts').selectAll().where('id', '=', concertId).executeTakeFirst();
}

/** Future performances of a concert, ascending (no seat counts: the concert page needs only their dates). */
export function listFutureSchedules(db: DbOrTx, concertId: string, now: Date) {
  return db
    .selectFrom('schedules')
    .where('concert_id', '=', concertId)
    .where('date_time', '>', now)
    .select(['id', 'date_time'])
    .orderBy('date_time')
    .execute();
}

/** Seats and standing places of these performances (the totals of one date's performances). */
export async function countSeats(db: DbOrTx, scheduleIds: string[]): Promise<Map<string, number>> {
  if (scheduleIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('seats')
    .where('schedule_id', 'in', scheduleIds)
    .groupBy('schedule_id')
    .select(['schedule_id', sql<string>`count(*)`.as('n')])
    .execute();
  return new Map(rows.map((r) => [r.schedule_id, Number(r.n)]));
}

export function findScheduleWithConcert(db: DbOrTx, scheduleId: string) {
  return db
    .selectFrom('schedules as s')
    .innerJoin('concerts as c', 'c.id', 's.concert_id')
    .where('s.id', '=', scheduleId)
    .select(['s.id', 's.concert_id', 's.date_time', 'c.title', 'c.timezone'])
    .executeTakeFirst();
}

/** The seat layout of a performance in display order (row by row, position in row); standing places apart. */
export function listSeats(db: DbOrTx, scheduleId: string) {
  return db
    .selectFrom('seats')
    .select([
      'id',
      'seat_number',
      'section',
      'row_label',
      'position',
      'x',
      'y',
      'grade',
      'price',
      'status',
      'accessible',
      'companion',
    ])
    .where('schedule_id', '=', scheduleId)
    .where('area_id', 'is', null)
    .orderBy('y')
    .orderBy('x')
    .orderBy('seat_number')
    .execute();
}

/** The standing areas of a performance in layout order (SPEC §12). */
export function listAreas(db: DbOrTx, scheduleId: string) {
  return db
    .selectFrom('standing_areas')
    .select(['id', 'name', 'grade', 'price', 'capacity', 'x', 'y', 'width', 'height'])
    .where('schedule_id', '=', scheduleId)
    .orderBy('sort_order')
    .execute();
}

/** The standing places of a performance: each area's, in entry-number order. */
export function listPlaces(db: DbOrTx, scheduleId: string) {
  return db
    .selectFrom('seats')
    .select(['id', 'area_id', 'position'])
    .where('schedule_id', '=', scheduleId)
    .where('area_id', 'is not', null)
    .orderBy('area_id')
    .orderBy('position')
    .execute();
}

/**
 * Reserved seats of every performance that has not started yet, to rebuild the hold store's markers — with the
 * seats not for sale (SPEC §12), which the store keeps as reserved too, so a withheld seat stays unholdable
 * after the store lost its data.
 */
export async function listReservedSeatsOfFutureSchedules(db: DbOrTx, now: Date): Promise<Map<string, string[]>> {
  const rows = await db
    .selectFrom('seats as st')
    .innerJoin('schedules as s', 's.id', 'st.schedule_id')
    .where('s.date_time', '>', now)
    .where((eb) => eb.or([eb('st.status', '=', 'reserved'), eb('st.withheld_reason', 'is not', null)]))
    .select(['st.schedule_id', 'st.id'])
    .execute();
  const bySchedule = new Map<string, string[]>();
  for (const row of rows) {
    const list = bySchedule.get(row.schedule_id) ?? [];
    list.push(row.id);
    bySchedule.set(row.schedule_id, list);
  }
  return bySchedule;
}

/**
 * Reserved seats of one performance (the Redis hold store loads its markers one performance at a time), with its
 * seats not for sale (SPEC §12), which the store keeps as reserved too.
 */
export async function listReservedSeatsOf(db: DbOrTx, scheduleId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('seats')
    .select('id')
    .where('schedule_id', '=', scheduleId)
    .where((eb) => eb.or([eb('status', '=', 'reserved'), eb('withheld_reason', 'is not', null)]))
    .execute();
  return rows.map((row) => row.id);
}

/** Ids of the given seats that the database has as reserved or not for sale (both `r` in the store). */
export async function findReservedSeatIds(db: DbOrTx, seatIds: string[]): Promise<string[]> {
  if (seatIds.length === 0) return [];
  const rows = await db
    .selectFrom('seats')
    .select('id')
    .where('id', 'in', seatIds)
    .where((eb) => eb.or([eb('status', '=', 'reserved'), eb('withheld_reason', 'is not', null)]))
    .execute();
  return rows.map((r) => r.id);
}

/** Which of these performance ids exist (one query for a batch of live-map joins). */
export async function findScheduleIds(db: DbOrTx, scheduleIds: string[]): Promise<string[]> {
  if (scheduleIds.length === 0) return [];
  const rows = await db.selectFrom('schedules').select('id').where('id', 'in', scheduleIds).execute();
  return rows.map((r) => r.id);
}
