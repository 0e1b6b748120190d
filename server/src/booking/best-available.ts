import type { LayoutSeat } from '../catalog/seat-layouts.ts';
import { freeRuns, newlyStranded } from './orphan-rule.ts';

export interface BestAvailableInput {
  rows: Iterable<readonly LayoutSeat[]>;
  unavailable: ReadonlySet<string>;
  count: number;
  grade?: string | undefined;
  /** Prefer blocks that strand no single seat. */
  avoidOrphans: boolean;
  /** Only blocks this accepts (e.g. n wheelchair spaces with companion seats beside them). */
  accept?: ((block: readonly LayoutSeat[]) => boolean) | undefined;
}

/**
 * SPEC §12: a block for `accessible` of its seats being wheelchair spaces, the others their companion seats.
 */
export const accessibleBlock =
  (accessible: number) =>
  (block: readonly LayoutSeat[]): boolean =>
    block.filter((s) => s.accessible).length === accessible && block.every((s) => s.accessible || s.companion);

/** Wheelchair spaces and companion seats: kept for `accessible` requests by plain best available (SPEC §12). */
export function flaggedSeatIds(rows: Iterable<readonly LayoutSeat[]>): string[] {
  const ids: string[] = [];
  for (const row of rows) for (const seat of row) if (seat.accessible || seat.companion) ids.push(seat.id);
  return ids;
}

/** Where the stage is: centred above the top-most seats (layouts draw the stage at the top). */
function stagePoint(rows: readonly (readonly LayoutSeat[])[]): { x: number; y: number } {
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  for (const row of rows) {
    for (const seat of row) {
      minX = Math.min(minX, seat.x);
      maxX = Math.max(maxX, seat.x);
      minY = Math.min(minY, seat.y);
    }
  }
  return { x: (minX + maxX) / 2, y: minY - 1 };
}

interface Candidate {
  seats: LayoutSeat[];
  rowDistance: number;
  offCentre: number;
  strands: boolean;
}

function compare(a: Candidate, b: Candidate): number {
  if (a.rowDistance !== b.rowDistance) return a.rowDistance - b.rowDistance;
  if (a.strands !== b.strands) return a.strands ? 1 : -1;
  return a.offCentre - b.offCentre;
}

/**
 * Ranks blocks of `count` adjacent free seats in one row, best first: the row nearest the stage; within it, with
 * `avoidOrphans`, a block that strands no single seat (the same per-row test as the orphan rule); then the block
 * nearest the middle of the venue. Rows are visited nearest first and the walk stops as soon as `limit` blocks
 * are known and no farther row can beat them, so a 50,000-seat stadium costs a few rows, not all of them.
 */
export function rankBestAvailable(input: BestAvailableInput, limit = 1): LayoutSeat[][] {
  const all = [...input.rows];
  const rows = all
    .map((row) => (input.grade ? row.filter((s) => s.grade === input.grade) : row))
    .filter((row) => row.length >= input.count);
  if (rows.length === 0) return [];
  const stage = stagePoint(all);
  const byDistance = rows
    .map((seats) => {
      const midX = seats.reduce((sum, s) => sum + s.x, 0) / seats.length;
      const midY = seats.reduce((sum, s) => sum + s.y, 0) / seats.length;
      return { seats, distance: Math.round(Math.hypot(midX - stage.x, midY - stage.y) * 1000) / 1000 };
    })
    .sort((a, b) => a.distance - b.distance);

  const found: Candidate[] = [];
  for (const { seats, distance } of byDistance) {
    if (found.length >= limit && distance > found[limit - 1]!.rowDistance) break;
    for (const run of freeRuns(seats, input.unavailable)) {
      for (let start = 0; start + input.count <= run.length; start++) {
        const block = run.slice(start, start + input.count);
        if (input.accept && !input.accept(block)) continue;
        found.push({
          seats: block,
          rowDistance: distance,
          offCentre: Math.abs((block[0]!.x + block[block.length - 1]!.x) / 2 - stage.x),
          strands:
            input.avoidOrphans && newlyStranded(seats, input.unavailable, new Set(block.map((s) => s.id))).length > 0,
        });
      }
    }
    found.sort(compare);
  }
  return found.slice(0, limit).map((c) => c.seats);
}

/** The best block of `count` adjacent free seats, or null when no row has one (of the grade). */
export function pickBestAvailable(input: BestAvailableInput): LayoutSeat[] | null {
  return rankBestAvailable(input, 1)[0] ?? null;
}
