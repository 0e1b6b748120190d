import { type GeneratedSeat, generateSeats, type LayoutAreaInput, type LayoutSection } from '@seatmap/shared';
import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';
import { layoutSeatIds } from './seat-ids.ts';

// One statement per chunk of column arrays: 50,000 seats are 5 round trips, and each statement has 12
// parameters however many rows it carries (the 65,535-parameter limit never comes into play).
const CHUNK = 10_000;

/** A row of `seats` to insert: a seat, or a standing place (`areaId` set, `position` = its entry number). */
interface SeatInsert extends GeneratedSeat {
  accessible: boolean;
  companion: boolean;
  areaId: string | null;
}

/** What a performance is made of (the create-performance body's `layout`). */
export interface PerformanceLayout {
  sections: LayoutSection[];
  areas?: LayoutAreaInput[] | undefined;
  accessibleSeats?: string[] | undefined;
  companionSeats?: string[] | undefined;
}

/** Inserts seats (and standing places) for one schedule. Returns the number of rows inserted. */
async function insertSeats(db: DbOrTx, scheduleId: string, seats: SeatInsert[]): Promise<number> {
  const ids = layoutSeatIds(seats.length);
  let inserted = 0;
  for (let i = 0; i < seats.length; i += CHUNK) {
    const chunk = seats.slice(i, i + CHUNK);
    const result = await sql`
      INSERT INTO seats (id, schedule_id, seat_number, section, row_label, position, grade, price, x, y,
                         accessible, companion, area_id)
      SELECT t.id, ${scheduleId}::uuid, t.seat_number, t.section, t.row_label, t.position, t.grade, t.price, t.x, t.y,
             t.accessible, t.companion, t.area_id
      FROM unnest(
        ${ids.slice(i, i + CHUNK)}::uuid[],
        ${chunk.map((s) => s.seatNumber)}::varchar[], ${chunk.map((s) => s.section)}::varchar[],
        ${chunk.map((s) => s.rowLabel)}::varchar[], ${chunk.map((s) => s.position)}::int[],
        ${chunk.map((s) => s.grade)}::varchar[], ${chunk.map((s) => s.price)}::int[],
        ${chunk.map((s) => s.x)}::real[], ${chunk.map((s) => s.y)}::real[],
        ${chunk.map((s) => s.accessible)}::boolean[], ${chunk.map((s) => s.companion)}::boolean[],
        ${chunk.map((s) => s.areaId)}::uuid[]
      ) AS t(id, seat_number, section, row_label, position, grade, price, x, y, accessible, companion, area_id)`.execute(
      db,
    );
    inserted += Number(result.numAffectedRows ?? 0n);
  }
  return inserted;
}

/** The seat number of standing place `n` of the `areaIndex`-th area (0-based): `@1-1`, `@1-2`, … (≤ 10 chars). */
export const placeNumber = (areaIndex: number, n: number) => `@${areaIndex + 1}-${n}`;

/**
 * A performance, its standing areas and its seats, generated from the layout's sections: how the admin API and the
 * demo data both make one. Call it inside a transaction, so a performance never exists half-built. Returns the
 * number of tickets (seats + standing places).
 */
export async function insertPerformance(trx: DbOrTx, concertId: string, dateTime: Date, layout: PerformanceLayout) {
  const schedule = await trx
    .insertInto('schedules')
    .values({ concert_id: concertId, date_time: dateTime })
    .returning(['id', 'concert_id', 'date_time'])
    .executeTakeFirstOrThrow();
  const accessible = new Set(layout.accessibleSeats ?? []);
  const companion = new Set(layout.companionSeats ?? []);
  const rows: SeatInsert[] = generateSeats(layout.sections).map((seat) => ({
    ...seat,
    accessible: accessible.has(seat.seatNumber),
    companion: companion.has(seat.seatNumber),
    areaId: null,
  }));
  for (const [index, area] of (layout.areas ?? []).entries()) {
    const { id } = await trx
      .insertInto('standing_areas')
      .values({ schedule_id: schedule.id, sort_order: index, ...area })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (let n = 1; n <= area.capacity; n++) {
      rows.push({
        seatNumber: placeNumber(index, n),
        section: area.name,
        rowLabel: `@${index + 1}`,
        position: n,
        grade: area.grade,
        price: area.price,
        x: area.x,
        y: area.y,
        accessible: false,
        companion: false,
        areaId: id,
      });
    }
  }
  const totalSeats = await insertSeats(trx, schedule.id, rows);
  return { schedule, totalSeats };
}
