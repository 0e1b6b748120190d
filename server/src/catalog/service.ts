import type { SnapshotForm } from '@seatmap/shared';
import type { Presales } from '../booking/presale.ts';
import type { Db } from '../db/database.ts';
import { concertNotFound, scheduleNotFound } from '../errors.ts';
import type { HoldStore } from '../holds/hold-store.ts';
import type { AreaBase } from '../live/area-tracker.ts';
import { isoInZone, localDate } from '../time.ts';
import { countSeats, findConcert, listBookableConcerts, listFutureSchedules } from './repository.ts';
import type { SeatLayout, SeatLayouts } from './seat-layouts.ts';
import type { Encoding, SnapshotCache } from './seat-map-cache.ts';
import { StatusSnapshot } from './status-snapshot.ts';

export interface CatalogDeps {
  db: Db;
  holdStore: HoldStore;
  layouts: SeatLayouts;
  /** Status snapshots per (performance, version); made by the context so the hold store can read their versions. */
  snapshots: SnapshotCache<StatusSnapshot>;
  /** SPEC §12: the concert page and the performance list say when a presale is on. */
  presales?: Pick<Presales, 'publicWindows'>;
  now: () => Date;
}

/** Browse: concerts, bookable dates, performances and the live seat map (SPEC §5, §9). */
export function createCatalogService({ db, holdStore, layouts, snapshots, presales, now }: CatalogDeps) {
  const presaleWindows = (concertId: string, timezone: string) =>
    presales ? presales.publicWindows(concertId, timezone) : Promise.resolve({ open: [], current: null });

  async function requireLayout(scheduleId: string): Promise<SeatLayout> {
    const layout = await layouts.get(scheduleId);
    if (!layout) throw scheduleNotFound();
    return layout;
  }

  /**
   * The statuses at the current version. The version is read first and a cached snapshot is used only at exactly
   * that version (a new one is built from statuses read atomically with their version), so a snapshot is never
   * older than a `seats:changed` already delivered: that event was published after its version moved.
   */
  async function snapshot(layout: SeatLayout): Promise<StatusSnapshot> {
    const { scheduleId } = layout;
    const version = await holdStore.version(scheduleId);
    return snapshots.get(
      scheduleId,
      version,
      async () => new StatusSnapshot(layout, await holdStore.states(scheduleId)),
    );
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
      if (!concert) throw concertNotFound();
      const schedules = await listFutureSchedules(db, concertId, now());
      const dates = [...new Set(schedules.map((s) => localDate(new Date(s.date_time), concert.timezone)))].sort();
      const { open } = await presaleWindows(concertId, concert.timezone);
      return {
        id: concert.id,
        title: concert.title,
        description: concert.description,
        posterImageUrl: concert.poster_image_url,
        venue: concert.venue,
        timezone: concert.timezone,
        dates,
        presales: open,
      };
    },

    async listSchedules(concertId: string, date: string) {
      const concert = await findConcert(db, concertId);
      if (!concert) throw concertNotFound();
      const onDate = (await listFutureSchedules(db, concertId, now())).filter(
        (s) => localDate(new Date(s.date_time), concert.timezone) === date,
      );
      // A presale window is the concert's: it is in force for each of its performances alike.
      const { current: presale } = await presaleWindows(concertId, concert.timezone);
      // Seats are counted for this date's performances only (a stadium has 50,000 rows each).
      const totals = await countSeats(
        db,
        onDate.map((s) => s.id),
      );
      const schedules = await Promise.all(
        onDate.map(async (s) => {
          const counts = await holdStore.counts(s.id);
          const total = totals.get(s.id) ?? 0;
          return {
            id: s.id,
            dateTime: isoInZone(new Date(s.date_time), concert.timezone),
            availableSeats: Math.max(0, total - counts.held - counts.reserved),
            totalSeats: total,
            presale,
          };
        }),
      );
      return { schedules };
    },

    /** `GET …/seats` in the requested encoding (part one's full seat map). */
    async seatMapBody(scheduleId: string, encoding: Encoding): Promise<string | Buffer> {
      return (await snapshot(await requireLayout(scheduleId))).seatsBody().get(encoding);
    },

    /** `GET …/status` in the requested encoding. */
    async statusBody(scheduleId: string, encoding: Encoding): Promise<string | Buffer> {
      return (await snapshot(await requireLayout(scheduleId))).statusBody().get(encoding);
    },

    /** The current status snapshot (statuses, standing-area counts), read as `…/status` reads it. */
    async currentSnapshot(scheduleId: string): Promise<StatusSnapshot> {
      return snapshot(await requireLayout(scheduleId));
    },

    /** The standing places' state for the live layer (SPEC §12); null without areas or performance. */
    async areaBase(scheduleId: string): Promise<AreaBase | null> {
      const layout = await layouts.get(scheduleId);
      if (!layout || layout.areas.length === 0) return null;
      const current = await snapshot(layout);
      return {
        version: current.version,
        areas: new Map(
          layout.areas.map((a) => [a.id, { capacity: a.capacity, taken: current.takenPlaces.get(a.id)! }]),
        ),
        placeArea: new Map([...layout.places].map(([id, place]) => [id, place.area.id])),
      };
    },

    /** The plain feed's first message; null when the performance does not exist. */
    async feedSnapshot(scheduleId: string, form: SnapshotForm): Promise<{ version: number; bytes: Buffer } | null> {
      const layout = await layouts.get(scheduleId);
      if (!layout) return null;
      const current = await snapshot(layout);
      return { version: current.version, bytes: current.feed(form) };
    },
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
