import type { SeatsChanged } from '@seatmap/shared';
import type { FastifyBaseLogger } from 'fastify';
import { findReservedSeatIds, listReservedSeatsOfFutureSchedules } from '../catalog/repository.ts';
import type { Db } from '../db/database.ts';
import type { HoldStore } from '../holds/hold-store.ts';
import type { EventBus } from '../live/event-bus.ts';
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
  bus: EventBus;
  events: SeatEvents;
  log: FastifyBaseLogger;
  now: () => Date;
}) {
  const { db, holdStore, bus, events, log, now } = deps;
  let running: Promise<void> | null = null;
  // The highest version seen per schedule: after a data loss the store's counters restart, and they must not go
  // below what watchers already have, or the gateways would drop the new events as old and maps would go stale.
  const seen = new Map<string, number>();
  bus.subscribe((event) => {
    if (event.version > (seen.get(event.scheduleId) ?? 0)) seen.set(event.scheduleId, event.version);
  });

  async function reload() {
    if (!(await holdStore.needsReload())) return;
    const reserved = await listReservedSeatsOfFutureSchedules(db, now());
    await holdStore.loadReserved(reserved, seen);
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

    /**
     * Re-marks any freed seat the database has reserved (a booking whose node died between commit and consuming
     * its hold), then publishes the expiry and the correction back to back.
     */
    async onExpired(expired: SeatsChanged[]): Promise<void> {
      for (const event of expired) {
        const freed = event.changes.filter((c) => c.status === 'available').map((c) => c.seatId);
        const reserved = await findReservedSeatIds(db, freed).catch((err: unknown) => {
          log.warn({ err, scheduleId: event.scheduleId }, 'expired seats not checked against the database');
          return [];
        });
        const fix = reserved.length > 0 ? await holdStore.markReserved(event.scheduleId, reserved) : null;
        events.publish(event);
        if (fix) events.publish(fix);
      }
    },
  };
}

export type ReservedMarkers = ReturnType<typeof createReservedMarkers>;
