import type { CreateHoldBody, Hold, PatchHoldBody } from '@seatmap/shared';
import type { SeatLayout } from '../catalog/seat-layouts.ts';
import type { CatalogService } from '../catalog/service.ts';
import type { Config } from '../config.ts';
import { AppError, holdNotFound } from '../errors.ts';
import { newHoldId } from '../holds/hold-id.ts';
import type { HoldHolder, HoldOutcome, HoldRecord, HoldStore } from '../holds/hold-store.ts';
import { holdAnswer, holdPlaces, requireArea, seatsOnly } from './area-holds.ts';
import { accessibleBlock, flaggedSeatIds, rankBestAvailable } from './best-available.ts';
import { newlyStranded, orphanGuard, orphanViolations } from './orphan-rule.ts';

export interface HoldServiceDeps {
  config: Config;
  holdStore: HoldStore;
  catalog: CatalogService;
  now: () => Date;
}

/** A hold as the API answers it (standing places as one quantity; SPEC §12). */
export function toHoldResponse(hold: HoldRecord, layout: SeatLayout | null = null): Hold {
  return holdAnswer(hold, layout);
}

/** Tries before a best-available request gives up; each lost race marks the lost seats and re-ranks. */
const BEST_AVAILABLE_ATTEMPTS = 8;

export function createHoldService({ config, holdStore, catalog, now }: HoldServiceDeps) {
  const maxSeats = config.MAX_SEATS_PER_HOLD;
  const maxHeldSeats = config.MAX_HELD_SEATS_PER_CLIENT;
  const orphanRuleOn = config.ORPHAN_RULE === 'on';
  /** SPEC §11 hold cap: whom the hold counts against (a client address or an admission), when the cap is on. */
  const holderOf = (holder: string | undefined): HoldHolder | undefined =>
    holder !== undefined && maxHeldSeats > 0 ? { key: holder, maxSeats: maxHeldSeats } : undefined;

  async function bookableLayout(scheduleId: string): Promise<SeatLayout> {
    const layout = await catalog.requireLayout(scheduleId);
    if (layout.dateTime.getTime() <= now().getTime()) {
      throw new AppError(409, 'SCHEDULE_CLOSED', 'This performance has already started; seats can no longer be held');
    }
    return layout;
  }

  function tooMany(count: number, path = 'body.seatIds') {
    return new AppError(400, 'VALIDATION_FAILED', `A hold can have at most ${maxSeats} seats`, {
      issues: [{ path, message: `at most ${maxSeats} seats per hold` }],
      maxSeatsPerHold: maxSeats,
      requested: count,
    });
  }

  function requireSeatsOf(layout: SeatLayout, seatIds: string[], path: string) {
    const foreign = seatIds.filter((id) => !layout.byId.has(id));
    if (foreign.length > 0) {
      throw new AppError(400, 'VALIDATION_FAILED', 'Some seats are not part of this performance', {
        issues: foreign.map((id) => ({ path, message: `seat ${id} is not part of this performance` })),
        invalidSeatIds: foreign,
      });
    }
  }

  const orphanSeat = (strandedSeatIds: string[]) =>
    new AppError(409, 'ORPHAN_SEAT', 'This choice would leave a single empty seat in the row', { strandedSeatIds });
  const rowsOf = (layout: SeatLayout, chosen: Set<string>) =>
    [...new Set([...chosen].map((id) => layout.byId.get(id)!.row))].map((r) => layout.rows.get(r)!);
  /** What the store refuses now among these seats, but for the choice itself and the seats it gives back. */
  async function othersTaken(layout: SeatLayout, seatIds: string[], chosen: Set<string>, released: Set<string>) {
    const unavailable = await holdStore.unavailable(layout.scheduleId, seatIds);
    for (const id of chosen) unavailable.delete(id);
    for (const id of released) unavailable.delete(id);
    return unavailable;
  }

  /**
   * The choice strands a seat: refused when another choice of the same count in that row avoids it (the rows are
   * read in full to see).
   */
  async function refuseOrphans(layout: SeatLayout, chosen: Set<string>, released: Set<string> = new Set()) {
    const rows = rowsOf(layout, chosen);
    const unavailable = await othersTaken(
      layout,
      rows.flatMap((row) => row.map((s) => s.id)),
      chosen,
      released,
    );
    const stranded = orphanViolations(rows, unavailable, chosen);
    if (stranded.length > 0) throw orphanSeat(stranded);
  }

  /**
   * Refuses a change of a hold that strands a single seat when another choice of the same count avoids it (a new
   * hold is checked by the store, in the step that takes its seats). Only the free seats beside the choice can
   * become stranded, and whether they do depends on their own neighbours: those seats decide it exactly. Most
   * choices strand nobody, and then that is the whole read (a handful of seats, not every seat of the row).
   */
  async function checkOrphans(layout: SeatLayout, chosen: Set<string>, released: Set<string>) {
    if (!orphanRuleOn) return;
    const rows = rowsOf(layout, chosen);
    const near = orphanGuard(rows, chosen).flatMap((g) => [g.seatId, g.left, g.right]);
    const ids = [...new Set(near.filter((id): id is string => id !== null))];
    const nearby = await othersTaken(layout, ids, chosen, released);
    if (rows.every((row) => newlyStranded(row, nearby, chosen).length === 0)) return;
    await refuseOrphans(layout, chosen, released);
  }

  function unwrap(outcome: HoldOutcome): HoldRecord {
    if (outcome.ok) return outcome.hold;
    if (outcome.reason === 'not_found') throw holdNotFound();
    if (outcome.reason === 'too_many') throw tooMany(outcome.seats, 'body.add');
    if (outcome.reason === 'holder_limit') {
      const retryAfterSeconds = Math.max(1, Math.ceil(outcome.retryAfterMs / 1000));
      throw new AppError(
        429,
        'HOLD_LIMIT',
        `At most ${maxHeldSeats} seats may be held at once per customer for this performance; ` +
          `${outcome.held} are held now. Book or release some, or retry in ${retryAfterSeconds} s`,
        { limit: maxHeldSeats, held: outcome.held, retryAfterSeconds },
      );
    }
    if (outcome.reason === 'orphan') throw orphanSeat(outcome.strandedSeatIds);
    throw new AppError(409, 'SEAT_UNAVAILABLE', 'Some seats are no longer available', {
      unavailableSeatIds: outcome.unavailableSeatIds,
    });
  }

  /**
   * SPEC §12: whether plain best available may sell wheelchair spaces and companion seats yet (from
   * ACCESSIBLE_RELEASE_MINUTES before the start; never when unset).
   */
  const accessibleReleased = (layout: SeatLayout) =>
    config.ACCESSIBLE_RELEASE_MINUTES !== undefined &&
    now().getTime() >= layout.dateTime.getTime() - config.ACCESSIBLE_RELEASE_MINUTES * 60_000;

  async function holdBestAvailable(
    layout: SeatLayout,
    count: number,
    grade: string | undefined,
    holder: HoldHolder | undefined,
    accessible: number | undefined,
  ) {
    if (accessible !== undefined && accessible > count) {
      throw new AppError(400, 'VALIDATION_FAILED', 'accessible cannot exceed count', {
        issues: [{ path: 'body.bestAvailable.accessible', message: 'at most count' }],
      });
    }
    // Plain best available keeps the flagged seats for accessible requests (SPEC §12) until their release time.
    const keptBack =
      accessible === undefined && !accessibleReleased(layout) ? flaggedSeatIds(layout.rows.values()) : [];
    if (grade !== undefined && !layout.seats.some((s) => s.grade === grade)) {
      const standing = layout.areas.find((a) => a.grade === grade);
      if (standing) {
        throw new AppError(409, 'NO_ADJACENT_SEATS', `Grade ${grade} is standing only: hold places by area`, {
          count,
          grade,
          areaId: standing.id,
        });
      }
      throw new AppError(400, 'VALIDATION_FAILED', `This performance has no grade ${grade}`, {
        issues: [{ path: 'body.bestAvailable.grade', message: 'unknown grade for this performance' }],
      });
    }
    for (let attempt = 0; attempt < BEST_AVAILABLE_ATTEMPTS; attempt++) {
      // Read the seats again on every try: a lost race means other buyers moved in.
      const states = await holdStore.states(layout.scheduleId);
      const unavailable = new Set([...states.held, ...states.reserved, ...keptBack]);
      // In a rush every buyer ranks the same block first; after a lost race, pick at random among the best few
      // (4, 8, 16 … blocks) so concurrent buyers spread out instead of colliding on each next-best block in turn.
      const ranked = rankBestAvailable(
        {
          rows: layout.rows.values(),
          unavailable,
          count,
          grade,
          avoidOrphans: orphanRuleOn,
          accept: accessible === undefined ? undefined : accessibleBlock(accessible),
        },
        attempt === 0 ? 1 : 4 << attempt,
      );
      const pick = ranked[attempt === 0 ? 0 : Math.floor(Math.random() * ranked.length)];
      if (!pick) break;
      const outcome = await holdStore.create({
        holdId: newHoldId(layout.scheduleId),
        scheduleId: layout.scheduleId,
        seatIds: pick.map((s) => s.id),
        ttlMs: config.HOLD_TTL_SECONDS * 1000,
        holder,
      });
      if (!outcome.ok && outcome.reason === 'unavailable') continue;
      return unwrap(outcome);
    }
    throw new AppError(
      409,
      'NO_ADJACENT_SEATS',
      `No ${count} adjacent seats are available${grade ? ` in grade ${grade}` : ''}` +
        (accessible ? ` with ${accessible} wheelchair spaces and companion seats beside them` : ''),
      { count, ...(grade ? { grade } : {}), ...(accessible ? { accessible } : {}) },
    );
  }

  return {
    /** `holder`: whom the hold counts against for the hold cap (the route's client address or admission). */
    async create(scheduleId: string, body: CreateHoldBody, holder?: string): Promise<Hold> {
      const layout = await bookableLayout(scheduleId);
      if ('bestAvailable' in body) {
        const { count, grade, accessible } = body.bestAvailable;
        if (count > maxSeats) throw tooMany(count, 'body.bestAvailable.count');
        return toHoldResponse(await holdBestAvailable(layout, count, grade, holderOf(holder), accessible), layout);
      }
      const seatIds = 'seatIds' in body ? body.seatIds : [];
      const { area } = body;
      // Standing places count against the per-hold limit like seats (SPEC §12).
      const tickets = seatIds.length + (area?.quantity ?? 0);
      if (tickets > maxSeats)
        throw tooMany(tickets, area && seatIds.length === 0 ? 'body.area.quantity' : 'body.seatIds');
      if (area) requireArea(layout, area);
      requireSeatsOf(layout, seatIds, 'body.seatIds');
      // One round trip: the store checks the orphan rule in the step that takes the seats. Only when the choice
      // strands a seat are the rows read, to see whether another choice avoids it; if none does, it is held anyway.
      // Standing places are not in rows: the rule looks at the seats alone.
      const chosen = new Set(seatIds);
      const guard = orphanRuleOn && seatIds.length > 0 ? orphanGuard(rowsOf(layout, chosen), chosen) : [];
      const create = async (ids: string[]) => {
        const input = {
          holdId: newHoldId(layout.scheduleId),
          scheduleId: layout.scheduleId,
          seatIds: ids,
          ttlMs: config.HOLD_TTL_SECONDS * 1000,
          holder: holderOf(holder),
        };
        let outcome = await holdStore.create({ ...input, orphanGuard: guard });
        if (!outcome.ok && outcome.reason === 'orphan') {
          await refuseOrphans(layout, chosen);
          outcome = await holdStore.create(input);
        }
        return outcome;
      };
      const outcome = area
        ? await holdPlaces({
            layout,
            area,
            seatIds,
            snapshot: () => catalog.currentSnapshot(layout.scheduleId),
            create,
          })
        : await create(seatIds);
      return toHoldResponse(unwrap(outcome), layout);
    },

    async get(holdId: string): Promise<Hold> {
      const hold = await holdStore.get(holdId);
      if (!hold) throw holdNotFound();
      return toHoldResponse(hold, await catalog.requireLayout(hold.scheduleId));
    },

    async modify(holdId: string, body: PatchHoldBody): Promise<Hold> {
      const hold = await holdStore.get(holdId);
      if (!hold) throw holdNotFound();
      const layout = await bookableLayout(hold.scheduleId);
      const add = (body.add ?? []).filter((id) => !hold.seatIds.includes(id));
      // Seats only, as `add`: standing places leave a hold with the hold (SPEC §12).
      const remove = (body.remove ?? []).filter((id) => hold.seatIds.includes(id) && layout.byId.has(id));
      requireSeatsOf(layout, body.add ?? [], 'body.add');
      const after = new Set([...hold.seatIds.filter((id) => !remove.includes(id)), ...add]);
      if (after.size === 0) {
        throw new AppError(400, 'VALIDATION_FAILED', 'A hold keeps at least one seat; delete the hold instead', {
          issues: [{ path: 'body.remove', message: 'would remove every seat of the hold' }],
        });
      }
      if (after.size > maxSeats) throw tooMany(after.size, 'body.add');
      if (add.length === 0 && remove.length === 0) return toHoldResponse(hold, layout);
      // The orphan rule is about seats in rows: standing places stay out of it.
      await checkOrphans(layout, new Set(seatsOnly(layout, after)), new Set(seatsOnly(layout, hold.seatIds)));
      return toHoldResponse(unwrap(await holdStore.modify(holdId, { add, remove, maxSeats, maxHeldSeats })), layout);
    },

    async release(holdId: string): Promise<void> {
      const event = await holdStore.release(holdId);
      if (!event) throw holdNotFound();
    },
  };
}

export type HoldService = ReturnType<typeof createHoldService>;
