import type { Db } from '../db/database.ts';
import { findScheduleWithConcert, listSeats } from './repository.ts';

export interface LayoutSeat {
  id: string;
  seatNumber: string;
  section: string;
  row: string;
  position: number;
  x: number;
  y: number;
  grade: string;
  price: number;
}

/** A performance's seats as drawn: immutable once the performance is created, so it is cached per process. */
export interface SeatLayout {
  scheduleId: string;
  concertId: string;
  concertTitle: string;
  timezone: string;
  dateTime: Date;
  seats: LayoutSeat[];
  byId: Map<string, LayoutSeat>;
  /** Seats of each row ordered by position; rows are unique per performance. */
  rows: Map<string, LayoutSeat[]>;
  /** Each seat's JSON up to its status value, so a 50,000-seat snapshot is one string join. */
  jsonPrefixes: string[];
}

export interface SeatLayouts {
  /** The layout, or null when the performance does not exist. */
  get(scheduleId: string): Promise<SeatLayout | null>;
}

function buildLayout(
  schedule: NonNullable<Awaited<ReturnType<typeof findScheduleWithConcert>>>,
  rows: Awaited<ReturnType<typeof listSeats>>,
): SeatLayout {
  const seats: LayoutSeat[] = rows.map((r) => ({
    id: r.id,
    seatNumber: r.seat_number,
    section: r.section,
    row: r.row_label,
    position: r.position,
    x: r.x,
    y: r.y,
    grade: r.grade,
    price: r.price,
  }));
  const byId = new Map(seats.map((s) => [s.id, s]));
  const byRow = new Map<string, LayoutSeat[]>();
  for (const seat of seats) {
    const row = byRow.get(seat.row) ?? [];
    row.push(seat);
    byRow.set(seat.row, row);
  }
  for (const row of byRow.values()) row.sort((a, b) => a.position - b.position);
  const jsonPrefixes = seats.map((s) => {
    const { position: _position, ...wire } = s;
    const json = JSON.stringify({ ...wire, status: '' });
    return json.slice(0, -2); // drop the closing `"}` so the status can be appended
  });
  return {
    scheduleId: schedule.id,
    concertId: schedule.concert_id,
    concertTitle: schedule.title,
    timezone: schedule.timezone,
    dateTime: new Date(schedule.date_time),
    seats,
    byId,
    rows: byRow,
    jsonPrefixes,
  };
}

/**
 * Caches layouts in memory (bounded, least recently loaded evicted). Concurrent misses for one performance share
 * one database load. Unknown performances are not cached, so a performance created a moment later is found.
 */
export function createSeatLayouts(db: Db, maxEntries = 64): SeatLayouts {
  const cache = new Map<string, Promise<SeatLayout | null>>();

  async function load(scheduleId: string): Promise<SeatLayout | null> {
    const schedule = await findScheduleWithConcert(db, scheduleId);
    if (!schedule) return null;
    return buildLayout(schedule, await listSeats(db, scheduleId));
  }

  return {
    get(scheduleId) {
      const hit = cache.get(scheduleId);
      if (hit) return hit;
      const pending = load(scheduleId).then(
        (layout) => {
          if (!layout) cache.delete(scheduleId);
          return layout;
        },
        (err) => {
          cache.delete(scheduleId);
          throw err;
        },
      );
      cache.set(scheduleId, pending);
      if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
      return pending;
    },
  };
}
