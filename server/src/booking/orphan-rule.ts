/**
 * The orphan-seat rule: a hold must not leave a single empty seat stranded in a row (between taken seats or
 * between a taken seat and the row's end) when another choice of the same count in that row avoids it.
 * Pure functions over one row's seats ordered by position.
 */
import type { OrphanGuard } from '../holds/hold-store.ts';

export interface RowSeat {
  id: string;
  position: number;
}

/** Ids of free seats that stand alone: both neighbours taken or missing (row end or a gap in positions). */
export function singleGaps(row: readonly RowSeat[], taken: (id: string) => boolean): string[] {
  const lonely: string[] = [];
  for (let i = 0; i < row.length; i++) {
    const seat = row[i]!;
    if (taken(seat.id)) continue;
    const left = row[i - 1];
    const right = row[i + 1];
    const leftOpen = left !== undefined && left.position === seat.position - 1 && !taken(left.id);
    const rightOpen = right !== undefined && right.position === seat.position + 1 && !taken(right.id);
    if (!leftOpen && !rightOpen) lonely.push(seat.id);
  }
  return lonely;
}

/** Seats that this choice would newly strand in the row. */
export function newlyStranded(
  row: readonly RowSeat[],
  unavailable: ReadonlySet<string>,
  chosen: ReadonlySet<string>,
): string[] {
  const before = new Set(singleGaps(row, (id) => unavailable.has(id)));
  return singleGaps(row, (id) => unavailable.has(id) || chosen.has(id)).filter((id) => !before.has(id));
}

/** Contiguous runs of free seats (consecutive positions) in a row. */
export function freeRuns<T extends RowSeat>(row: readonly T[], unavailable: ReadonlySet<string>): T[][] {
  const runs: T[][] = [];
  let run: T[] = [];
  for (const seat of row) {
    const last = run[run.length - 1];
    if (unavailable.has(seat.id)) {
      if (run.length) runs.push(run);
      run = [];
      continue;
    }
    if (last && last.position !== seat.position - 1) {
      runs.push(run);
      run = [];
    }
    run.push(seat);
  }
  if (run.length) runs.push(run);
  return runs;
}

/** Whether some block of `count` adjacent free seats in the row strands nobody. */
export function hasCleanBlock(row: readonly RowSeat[], unavailable: ReadonlySet<string>, count: number): boolean {
  for (const run of freeRuns(row, unavailable)) {
    for (let start = 0; start + count <= run.length; start++) {
      const block = new Set(run.slice(start, start + count).map((s) => s.id));
      if (newlyStranded(row, unavailable, block).length === 0) return true;
    }
  }
  return false;
}

/**
 * Checks a choice against the rule, row by row. Returns the seats it would strand (empty when the choice is
 * fine, or when no other choice of the same count in that row avoids stranding one).
 */
export function orphanViolations(
  rows: Iterable<readonly RowSeat[]>,
  unavailable: ReadonlySet<string>,
  chosen: ReadonlySet<string>,
): string[] {
  const stranded: string[] = [];
  for (const row of rows) {
    const count = row.filter((s) => chosen.has(s.id)).length;
    if (count === 0) continue;
    const lonely = newlyStranded(row, unavailable, chosen);
    if (lonely.length > 0 && hasCleanBlock(row, unavailable, count)) stranded.push(...lonely);
  }
  return stranded;
}

/**
 * The seats a choice could strand, for the hold store's check (OrphanGuard): each seat beside a chosen one and not
 * chosen itself, with its neighbours (null at a row end or a gap in positions). Only these can become stranded,
 * and whether they do depends on their neighbours alone.
 */
export function orphanGuard(rows: Iterable<readonly RowSeat[]>, chosen: ReadonlySet<string>): OrphanGuard[] {
  const guard: OrphanGuard[] = [];
  for (const row of rows) {
    const neighbour = (i: number, step: 1 | -1) => {
      const next = row[i + step];
      return next !== undefined && next.position === row[i]!.position + step ? next.id : null;
    };
    // On the hot path of every hold: one pass to find the places beside the choice, then only those are looked at.
    let last = -1;
    for (let i = 0; i < row.length; i++) {
      if (!chosen.has(row[i]!.id)) continue;
      for (const j of [i - 1, i + 1]) {
        const seat = row[j];
        if (j <= last || seat === undefined || chosen.has(seat.id)) continue;
        const [left, right] = [neighbour(j, -1), neighbour(j, 1)];
        if ((left !== null && chosen.has(left)) || (right !== null && chosen.has(right))) {
          guard.push({ seatId: seat.id, left, right });
          last = j;
        }
      }
    }
  }
  return guard;
}
