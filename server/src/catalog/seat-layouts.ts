import { createHash } from 'node:crypto';
import type { Layout } from '@seatmap/shared';
import type { Db } from '../db/database.ts';
import { findScheduleIds, findScheduleWithConcert, listAreas, listPlaces, listSeats } from './repository.ts';
import { type EncodedBody, encodedBody } from './seat-map-cache.ts';

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
  /** Wheelchair space / companion seat (SPEC §12), fixed when the performance is created. */
  accessible: boolean;
  companion: boolean;
}

/** A standing area (SPEC §12) and its places: seat ids the hold store holds like seats, in entry-number order. */
export interface LayoutArea {
  id: string;
  name: string;
  grade: string;
  price: number;
  capacity: number;
  x: number;
  y: number;
  width: number;
  height: number;
  placeIds: string[];
}

/** Where a standing place belongs: its area and its entry number. */
export interface LayoutPlace {
  area: LayoutArea;
  entryNumber: number;
}

/** A performance's seats as drawn: immutable once the performance is created, so it is cached per process. */
export interface SeatLayout {
  scheduleId: string;
  concertId: string;
  concertTitle: string;
  timezone: string;
  dateTime: Date;
  /** In seat order: a seat's index here is its index in `GET …/status` and in every `seats:changed`. */
  seats: LayoutSeat[];
  byId: Map<string, LayoutSeat>;
  indexById: Map<string, number>;
  /** Seats of each row ordered by position; rows are unique per performance. */
  rows: Map<string, LayoutSeat[]>;
  /** Standing areas in layout order; their places are not in `seats`, `byId` or `rows`. */
  areas: LayoutArea[];
  areaById: Map<string, LayoutArea>;
  /** Standing place id → its area and entry number. */
  places: Map<string, LayoutPlace>;
  /** Each seat's part-one JSON up to its status value, so a 50,000-seat seat map is one string join. */
  jsonPrefixes: string[];
  /** Changes exactly when the layout, a price or a seat flag does: a hash of the `GET …/layout` body. */
  layoutVersion: string;
  /** `GET …/layout`, serialised and compressed once per layout. */
  body(): EncodedBody;
}

export interface SeatLayouts {
  /** The layout, or null when the performance does not exist. */
  get(scheduleId: string): Promise<SeatLayout | null>;
  /**
   * Whether the performance exists, cheaply: a cached layout answers; unknown ids are remembered for a while; the
   * rest, asked at about the same moment, share one query — a join flood of unknown ids costs (almost) none.
   */
  exists(scheduleId: string): Promise<boolean>;
}

/** How long an unknown performance id is remembered (ids are random UUIDs: a real one is never asked for early). */
const UNKNOWN_TTL_MS = 30_000;
const MAX_UNKNOWN = 10_000;
/**
 * Existence checks arriving within this window share one query, and more gather while one runs. While ids keep
 * coming (the last query asked for several: a flood), the window widens, so a flood makes few, large queries.
 */
const BATCH_WINDOW_MS = 10;
const FLOOD_WINDOW_MS = 100;
const MAX_BATCH = 1000;

function buildLayout(
  schedule: NonNullable<Awaited<ReturnType<typeof findScheduleWithConcert>>>,
  rows: Awaited<ReturnType<typeof listSeats>>,
  areaRows: Awaited<ReturnType<typeof listAreas>> = [],
  placeRows: Awaited<ReturnType<typeof listPlaces>> = [],
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
    accessible: r.accessible,
    companion: r.companion,
  }));
  const areas: LayoutArea[] = areaRows.map((a) => ({ ...a, placeIds: [] }));
  const areaById = new Map(areas.map((a) => [a.id, a]));
  const places = new Map<string, LayoutPlace>();
  for (const place of placeRows) {
    const area = areaById.get(place.area_id!);
    if (!area) continue;
    area.placeIds.push(place.id);
    places.set(place.id, { area, entryNumber: place.position });
  }
  const byId = new Map(seats.map((s) => [s.id, s]));
  const indexById = new Map(seats.map((s, i) => [s.id, i]));
  const byRow = new Map<string, LayoutSeat[]>();
  for (const seat of seats) {
    const row = byRow.get(seat.row) ?? [];
    row.push(seat);
    byRow.set(seat.row, row);
  }
  for (const row of byRow.values()) row.sort((a, b) => a.position - b.position);
  const jsonPrefixes = seats.map((s) => {
    const { id, seatNumber, section, row, x, y, grade, price } = s;
    const json = JSON.stringify({ id, seatNumber, section, row, x, y, grade, price, status: '' });
    return json.slice(0, -2); // drop the closing `"}` so the status can be appended
  });
  const seatsJson = () => JSON.stringify(seats.map(({ position: _position, ...wire }) => wire));
  const areasJson = JSON.stringify(areas.map(({ placeIds: _places, ...wire }) => wire) satisfies Layout['areas']);
  const layoutVersion = createHash('sha256')
    .update(seatsJson())
    .update(areas.length > 0 ? areasJson : '')
    .digest('base64url')
    .slice(0, 16);
  let body: EncodedBody | undefined;
  return {
    scheduleId: schedule.id,
    concertId: schedule.concert_id,
    concertTitle: schedule.title,
    timezone: schedule.timezone,
    dateTime: new Date(schedule.date_time),
    seats,
    byId,
    indexById,
    rows: byRow,
    areas,
    areaById,
    places,
    jsonPrefixes,
    layoutVersion,
    body() {
      // Immutable per layoutVersion and fetched once per browser: worth the slower, denser compression.
      body ??= encodedBody(
        `{"scheduleId":"${schedule.id}","layoutVersion":"${layoutVersion}","seats":${seatsJson()},"areas":${areasJson}}`,
        9,
      );
      return body;
    },
  };
}

/**
 * Caches layouts in memory (bounded, least recently loaded evicted). Concurrent misses for one performance share
 * one database load. Unknown performances are remembered for UNKNOWN_TTL_MS.
 */
export function createSeatLayouts(db: Db, maxEntries = 64, now: () => number = Date.now): SeatLayouts {
  const cache = new Map<string, Promise<SeatLayout | null>>();
  const unknown = new Map<string, number>();
  type Waiting = Map<string, ((found: boolean | Error) => void)[]>;
  const waiting: Waiting = new Map();
  let looking = false;
  let lastBatch = 0;

  const isUnknown = (scheduleId: string) => {
    const until = unknown.get(scheduleId);
    if (until === undefined) return false;
    if (until > now()) return true;
    unknown.delete(scheduleId);
    return false;
  };
  const remember = (scheduleId: string) => {
    unknown.delete(scheduleId);
    unknown.set(scheduleId, now() + UNKNOWN_TTL_MS);
    if (unknown.size > MAX_UNKNOWN) unknown.delete(unknown.keys().next().value as string);
  };

  async function load(scheduleId: string): Promise<SeatLayout | null> {
    const schedule = await findScheduleWithConcert(db, scheduleId);
    if (!schedule) return null;
    const [seats, areas, places] = await Promise.all([
      listSeats(db, scheduleId),
      listAreas(db, scheduleId),
      listPlaces(db, scheduleId),
    ]);
    return buildLayout(schedule, seats, areas, places);
  }

  // One lookup at a time: ids asked for while it runs gather into the next, so a flood makes few, larger queries.
  async function lookUp() {
    const batch = new Map([...waiting].slice(0, MAX_BATCH));
    for (const id of batch.keys()) waiting.delete(id);
    lastBatch = batch.size;
    try {
      const found = new Set(await findScheduleIds(db, [...batch.keys()]));
      for (const [id, resolvers] of batch) {
        if (!found.has(id)) remember(id);
        for (const resolve of resolvers) resolve(found.has(id));
      }
    } catch (err) {
      for (const resolvers of batch.values()) for (const resolve of resolvers) resolve(err as Error);
    }
    if (waiting.size > 0) setTimeout(() => void lookUp(), FLOOD_WINDOW_MS);
    else looking = false;
  }

  return {
    get(scheduleId) {
      const hit = cache.get(scheduleId);
      if (hit) return hit;
      if (isUnknown(scheduleId)) return Promise.resolve(null);
      const pending = load(scheduleId).then(
        (layout) => {
          if (!layout) {
            cache.delete(scheduleId);
            remember(scheduleId);
          }
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

    async exists(scheduleId) {
      const hit = cache.get(scheduleId);
      if (hit) return (await hit) !== null;
      if (isUnknown(scheduleId)) return false;
      const found = await new Promise<boolean | Error>((resolve) => {
        waiting.set(scheduleId, [...(waiting.get(scheduleId) ?? []), resolve]);
        if (looking) return;
        looking = true;
        setTimeout(() => void lookUp(), lastBatch > 1 ? FLOOD_WINDOW_MS : BATCH_WINDOW_MS);
      });
      if (found instanceof Error) throw found;
      return found;
    },
  };
}
