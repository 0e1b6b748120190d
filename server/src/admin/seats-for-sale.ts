import type { SeatsForSaleBody, SeatsForSaleResult, WithheldSeatList } from '@seatmap/shared';
import type { SeatLayouts } from '../catalog/seat-layouts.ts';
import type { Db, DbOrTx } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { AppError, scheduleNotFound } from '../errors.ts';
import type { HoldStore } from '../holds/hold-store.ts';
import { afterCommit } from '../retry.ts';

/** Locks the seats (the booking statement's lock) and reads what decides whether they may be withheld. */
function lockSeats(trx: DbOrTx, scheduleId: string, seatIds: string[]) {
  return trx
    .selectFrom('seats')
    .select(['id', 'status', 'withheld_reason'])
    .where('schedule_id', '=', scheduleId)
    .where('id', 'in', seatIds)
    .orderBy('id')
    .forUpdate()
    .execute();
}

/**
 * Seats not for sale (SPEC §12): kills and house seats, set and released by the box office.
 *
 * The database keeps the reason on the seat row, so the booking statement — which locks the same rows — refuses a
 * withheld seat whatever the hold store says. The hold store keeps a withheld seat as `reserved` (`r` on every
 * map, refused by every hold; reloaded from the database with the reserved seats after a data loss). Withholding is
 * refused (409) for seats held or booked now; a hold taken in the instant between that check and the store update
 * loses the seat to the kill (its booking then fails), never the other way round.
 */
export function createSeatsForSale(deps: { db: Db; layouts: SeatLayouts; holdStore: HoldStore }) {
  const { db, layouts, holdStore } = deps;

  async function requireSeats(scheduleId: string, seatIds: string[]) {
    const layout = await layouts.get(scheduleId);
    if (!layout) throw scheduleNotFound();
    const foreign = seatIds.filter((id) => !layout.byId.has(id));
    if (foreign.length > 0) {
      throw new AppError(400, 'VALIDATION_FAILED', 'Some seats are not seats of this performance', {
        issues: foreign.map((id) => ({
          path: 'body.seatIds',
          message: `seat ${id} is not a seat of this performance`,
        })),
        invalidSeatIds: foreign,
      });
    }
  }

  return {
    async set(scheduleId: string, body: SeatsForSaleBody): Promise<SeatsForSaleResult> {
      await requireSeats(scheduleId, body.seatIds);
      if (body.forSale) {
        // Every requested seat that is now for sale and not booked is pushed to the store, not only those this request
        // changed: a retry after a store update that failed once (the commit stood) repairs the store.
        const released = await inTransaction(db, async (trx) => {
          await trx
            .updateTable('seats')
            .set({ withheld_reason: null })
            .where('schedule_id', '=', scheduleId)
            .where('id', 'in', body.seatIds)
            .where('withheld_reason', 'is not', null)
            .execute();
          const rows = await lockSeats(trx, scheduleId, body.seatIds);
          return rows.filter((r) => r.status === 'available' && r.withheld_reason === null).map((r) => r.id);
        });
        if (released.length > 0) await afterCommit(() => holdStore.markAvailable(scheduleId, released));
        return { scheduleId, forSale: true, seatIds: body.seatIds };
      }
      const withheld = await inTransaction(db, async (trx) => {
        const rows = await lockSeats(trx, scheduleId, body.seatIds);
        const fresh = rows.filter((r) => r.withheld_reason === null);
        const booked = fresh.filter((r) => r.status === 'reserved').map((r) => r.id);
        const taken = await holdStore.unavailable(
          scheduleId,
          fresh.map((r) => r.id),
        );
        const unavailable = [...new Set([...booked, ...taken])];
        if (unavailable.length > 0) {
          throw new AppError(409, 'SEAT_UNAVAILABLE', 'Some seats are held or booked and cannot be withheld now', {
            unavailableSeatIds: unavailable,
          });
        }
        await trx
          .updateTable('seats')
          .set({ withheld_reason: body.reason })
          .where('schedule_id', '=', scheduleId)
          .where('id', 'in', body.seatIds)
          .execute();
        // Every requested seat is withheld now: all go to the store (idempotent), so a retry repairs a failed update.
        return rows.map((r) => r.id);
      });
      if (withheld.length > 0) await afterCommit(() => holdStore.markReserved(scheduleId, withheld));
      return { scheduleId, forSale: false, seatIds: body.seatIds };
    },

    async list(scheduleId: string): Promise<WithheldSeatList> {
      const layout = await layouts.get(scheduleId);
      if (!layout) throw scheduleNotFound();
      const rows = await db
        .selectFrom('seats')
        .select(['id', 'seat_number', 'withheld_reason'])
        .where('schedule_id', '=', scheduleId)
        .where('withheld_reason', 'is not', null)
        .orderBy('seat_number')
        .execute();
      return {
        scheduleId,
        withheld: rows.map((r) => ({ seatId: r.id, seatNumber: r.seat_number, reason: r.withheld_reason ?? '' })),
      };
    },
  };
}

export type SeatsForSale = ReturnType<typeof createSeatsForSale>;
