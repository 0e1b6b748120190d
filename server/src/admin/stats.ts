import type { Stats } from '@seatmap/shared';
import type { Db } from '../db/database.ts';
import { scheduleNotFound } from '../errors.ts';
import type { HoldStore } from '../holds/hold-store.ts';
import { findSchedule, gradeCounts } from './repository.ts';

export interface StatsService {
  exists(scheduleId: string): Promise<boolean>;
  /** Sell-through of one performance; 404 SCHEDULE_NOT_FOUND when it does not exist. */
  compute(scheduleId: string): Promise<Stats>;
}

/**
 * Reserved seats and revenue come from the database (confirmed reservations), held seats from the hold store.
 * The hold store is read first: a booking that commits in between then counts as reserved, never twice.
 */
export function createStatsService(deps: { db: Db; holdStore: HoldStore }): StatsService {
  const { db, holdStore } = deps;
  // A primary-key lookup, not the seat layout: a 50,000-seat layout takes a while to load the first time.
  const exists = async (scheduleId: string) => (await findSchedule(db, scheduleId)) !== undefined;
  return {
    exists,
    async compute(scheduleId) {
      if (!(await exists(scheduleId))) throw scheduleNotFound();
      const { held } = await holdStore.states(scheduleId);
      const { rows } = await gradeCounts(db, scheduleId, held);
      const byGrade = rows.map((r) => {
        const total = Number(r.total);
        const reserved = Number(r.reserved);
        const heldSeats = Number(r.held);
        const withheld = Number(r.withheld);
        return {
          grade: r.grade,
          price: Number(r.price),
          total,
          available: total - reserved - heldSeats - withheld,
          held: heldSeats,
          reserved,
          withheld,
          revenue: Number(r.revenue),
        };
      });
      const sum = (key: 'total' | 'available' | 'held' | 'reserved' | 'withheld' | 'revenue') =>
        byGrade.reduce((n, g) => n + g[key], 0);
      return {
        scheduleId,
        total: sum('total'),
        available: sum('available'),
        held: sum('held'),
        reserved: sum('reserved'),
        withheld: sum('withheld'),
        revenue: sum('revenue'),
        byGrade,
      };
    },
  };
}
