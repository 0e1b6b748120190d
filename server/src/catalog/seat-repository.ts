import type { LayoutSection } from '@seatmap/shared';
import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';
import { type GeneratedSeat, generateSeats } from './layout.ts';
import { layoutSeatIds } from './seat-ids.ts';

// One statement per chunk of column arrays: 50,000 seats are 5 round trips, and each statement has 9
// parameters however many rows it carries (the 65,535-parameter limit never comes into play).
const CHUNK = 10_000;

/** Inserts a generated layout for one schedule. Returns the number of seats inserted. */
export async function insertSeats(db: DbOrTx, scheduleId: string, seats: GeneratedSeat[]): Promise<number> {
  const ids = layoutSeatIds(seats.length);
  let inserted = 0;
  for (let i = 0; i < seats.length; i += CHUNK) {
    const chunk = seats.slice(i, i + CHUNK);
    const result = await sql`
      INSERT INTO seats (id, schedule_id, seat_number, section, row_label, position, grade, price, x, y)
      SELECT t.id, ${scheduleId}::uuid, t.seat_number, t.section, t.row_label, t.position, t.grade, t.price, t.x, t.y
      FROM unnest(
        ${ids.slice(i, i + CHUNK)}::uuid[],
        ${chunk.map((s) => s.seatNumber)}::varchar[], ${chunk.map((s) => s.section)}::varchar[],
        ${chunk.map((s) => s.rowLabel)}::varchar[], ${chunk.map((s) => s.position)}::int[],
        ${chunk.map((s) => s.grade)}::varchar[], ${chunk.map((s) => s.price)}::int[],
        ${chunk.map((s) => s.x)}::real[], ${chunk.map((s) => s.y)}::real[]
      ) AS t(id, seat_number, section, row_label, position, grade, price, x, y)`.execute(db);
    inserted += Number(result.numAffectedRows ?? 0n);
  }
  return inserted;
}

/**
 * A performance and its seats, generated from the layout's sections: how the admin API and the demo data both make
 * one. Call it inside a transaction, so a performance never exists half-built.
 */
export async function insertPerformance(trx: DbOrTx, concertId: string, dateTime: Date, sections: LayoutSection[]) {
  const schedule = await trx
    .insertInto('schedules')
    .values({ concert_id: concertId, date_time: dateTime })
    .returning(['id', 'concert_id', 'date_time'])
    .executeTakeFirstOrThrow();
  const totalSeats = await insertSeats(trx, schedule.id, generateSeats(sections));
  return { schedule, totalSeats };
}
