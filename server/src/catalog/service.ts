import type { SeatStatus } from '@seatmap/shared';
import type { Db } from '../db/database.ts';
import { notFound } from '../errors.ts';
import type { HoldStore } from '../holds/hold-store.ts';
import { isoInZone, localDate } from '../time.ts';
import { findConcert, listBookableConcerts, listFutureSchedules } from './repository.ts';
import type { SeatLayout, SeatLayouts } from './seat-layouts.ts';
import { createSeatMapCache, type Encoding } from './seat-map-cache.ts';

export interface CatalogDeps {
  db: Db;
  holdStore: HoldStore;
  layouts: SeatLayouts;
  now: () => Date;
}

/** Browse: concerts, bookable dates, performances and the live seat map (SPEC §5). */
export function createCatalogService({ db, holdStore, layouts, now }: CatalogDeps) {
  const seatMaps = createSeatMapCache();

  async function requireLayout(scheduleId: string): Promise<SeatLayout> {
    const layout = await layouts.get(scheduleId);
    if (!layout) throw notFound('SCHEDULE_NOT_FOUND', 'No such performance');
    return layout;
  }

  /** Cached layout + statuses and version read atomically from the hold store. */
  /** The layout with each seat's public status, read atomically with its version. */
  async function liveSeats(scheduleId: string) {
    const layout = await requireLayout(scheduleId);
    const states = await holdStore.states(scheduleId);
    const status = new Map<string, SeatStatus>();
    for (const id of states.held) status.set(id, 'held');
    for (const id of states.reserved) status.set(id, 'reserved'); // reserved wins over a stale hold
    return { layout, version: states.version, statusOf: (id: string) => status.get(id) ?? 'available' };
  }

  async function buildSeatMap(scheduleId: string): Promise<{ version: number; json: string }> {
    const { layout, version, statusOf } = await liveSeats(scheduleId);
    const parts = new Array<string>(layout.seats.length);
    for (let i = 0; i < layout.seats.length; i++) {
      parts[i] = `${layout.jsonPrefixes[i]}${statusOf(layout.seats[i]!.id)}"}`;
    }
    return {
      version,
      json: `{"scheduleId":"${layout.scheduleId}","version":${version},"seats":[${parts.join(',')}]}`,
    };
  }

  return {
    requireLayout,

    async listConcerts() {
      const rows = await listBookableConcerts(db, now());
      return {
        concerts: rows.map((r) => ({
          id: r.id,
          title: r.title,
          posterImageUrl: r.poster_image_url,
          venue: r.venue,
          nextDateTime: isoInZone(new Date(r.next_date_time), r.timezone),
        })),
      };
    },

    async getConcert(concertId: string) {
      const concert = await findConcert(db, concertId);
      if (!concert) throw notFound('CONCERT_NOT_FOUND', 'No such concert');
      const schedules = await listFutureSchedules(db, concertId, now());
      const dates = [...new Set(schedules.map((s) => localDate(new Date(s.date_time), concert.timezone)))].sort();
      return {
        id: concert.id,
        title: concert.title,
        description: concert.description,
        posterImageUrl: concert.poster_image_url,
        venue: concert.venue,
        timezone: concert.timezone,
        dates,
      };
    },

    async listSchedules(concertId: string, date: string) {
      const concert = await findConcert(db, concertId);
      if (!concert) throw notFound('CONCERT_NOT_FOUND', 'No such concert');
      const onDate = (await listFutureSchedules(db, concertId, now())).filter(
        (s) => localDate(new Date(s.date_time), concert.timezone) === date,
      );
      const schedules = await Promise.all(
        onDate.map(async (s) => {
          const counts = await holdStore.counts(s.id);
          const total = Number(s.total_seats);
          return {
            id: s.id,
            dateTime: isoInZone(new Date(s.date_time), concert.timezone),
            availableSeats: Math.max(0, total - counts.held - counts.reserved),
            totalSeats: total,
          };
        }),
      );
      return { schedules };
    },

    /**
     * The seat map body in the requested encoding. The version is read first and the cached body is used only
     * when it is at least that version, so a snapshot is never older than a `seats:changed` already delivered.
     */
    async seatMapBody(scheduleId: string, encoding: Encoding): Promise<string | Buffer> {
      await requireLayout(scheduleId);
      const version = await holdStore.version(scheduleId);
      return seatMaps.get(scheduleId, version, encoding, () => buildSeatMap(scheduleId));
    },

    /** Compact statuses for the plain WebSocket feed's first message. */
    async snapshot(scheduleId: string) {
      const { layout, version, statusOf } = await liveSeats(scheduleId);
      return { version, seats: layout.seats.map((s) => ({ seatId: s.id, status: statusOf(s.id) })) };
    },
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
