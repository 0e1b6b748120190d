import type { SeatsChanged } from '@seatmap/shared';
import type { FastifyBaseLogger } from 'fastify';
import { findReservedSeatIds, listReservedSeatsOfFutureSchedules } from '../catalog/repository.ts';
import type { Db } from '../db/database.ts';
import type { HoldStore } from '../holds/hold-store.ts';
import type { SeatEvents } from '../live/seat-events.ts';

/**
 * Keeps the hold store's reserved markers true to the database, which stays the authority: they are rebuilt on
 * start and whenever the store lost its data (a Redis restart without persistence), and an expired hold's seats
 * are checked against the database before they are announced free (a booking whose node died between commit and
 * consuming the hold).
 */
export function createReservedMarkers(deps: {
  db: Db;
  holdStore: HoldStore;
  events: SeatEvents;
  log: FastifyBaseLogger;
  now: () => Date;
}) {
  const { db, holdStore, events, log, now } = deps;
  let running: Promise<void> | null = null;

  async function reload() {
    if (!(await holdStore.needsReload())) return;
    const reserved = await listReservedSeatsOfFutureSchedules(db, now());
    await holdStore.loadReserved(reserved);
    log.info({ schedules: reserved.size }, 'reserved seat markers rebuilt from the database');
  }

  return {
    /** Rebuilds the markers if the store lost them; concurrent calls share one rebuild. */
    ensure(): Promise<void> {
      running ??= reload().finally(() => {
        running = null;
      });
      return running;
    },

    /** Publishes expiry events, then re-marks any seat the database has reserved. */
    async onExpired(expired: SeatsChanged[]): Promise<void> {
      for (const event of expired) {
        events.publish(event);
        const freed = event.changes.filter((c) => c.status === 'available').map((c) => c.seatId);
        const reserved = await findReservedSeatIds(db, freed);
        if (reserved.length === 0) continue;
        const fix = await holdStore.markReserved(event.scheduleId, reserved);
        if (fix) events.publish(fix);
      }
    },
  };
}

export type ReservedMarkers = ReturnType<typeof createReservedMarkers>;
