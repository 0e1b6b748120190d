import type { LayoutSeat } from '../catalog/seat-layouts.ts';
import { freeRuns, newlyStranded } from './orphan-rule.ts';

export interface BestAvailableInput {
  rows: Iterable<readonly LayoutSeat[]>;
  unavailable: ReadonlySet<string>;
  count: number;
  grade?: string | undefined;
  /** Prefer blocks that strand no single seat. */
  avoidOrphans: boolean;
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

/**
 * Picks `count` adjacent free seats in one row: the row nearest the stage first; within it, with `avoidOrphans`,
 * a block that strands no single seat (the same per-row test as the orphan rule), then the block nearest the
 * middle of the venue.
 * Returns null when no row has `count` adjacent free seats (of the grade).
 */
export function pickBestAvailable(input: BestAvailableInput): LayoutSeat[] | null {
  const rows = [...input.rows].filter((row) => row.length > 0 && (!input.grade || row[0]!.grade === input.grade));
  if (rows.length === 0) return null;
  const stage = stagePoint(rows);
  let best: Candidate | null = null;

  const better = (a: Candidate, b: Candidate | null) => {
    if (!b) return true;
    if (a.rowDistance !== b.rowDistance) return a.rowDistance < b.rowDistance;
    if (a.strands !== b.strands) return !a.strands;
    return a.offCentre < b.offCentre;
  };

  for (const row of rows) {
    const seats = input.grade ? row.filter((s) => s.grade === input.grade) : row;
    const midX = seats.reduce((sum, s) => sum + s.x, 0) / seats.length;
    const midY = seats.reduce((sum, s) => sum + s.y, 0) / seats.length;
    const rowDistance = Math.hypot(midX - stage.x, midY - stage.y);
    for (const run of freeRuns(seats, input.unavailable)) {
      for (let start = 0; start + input.count <= run.length; start++) {
        const block = run.slice(start, start + input.count);
        const blockX = (block[0]!.x + block[block.length - 1]!.x) / 2;
        const candidate: Candidate = {
          seats: block,
          rowDistance: Math.round(rowDistance * 1000) / 1000,
          offCentre: Math.abs(blockX - stage.x),
          strands:
            input.avoidOrphans && newlyStranded(seats, input.unavailable, new Set(block.map((s) => s.id))).length > 0,
        };
        if (better(candidate, best)) best = candidate;
      }
    }
  }
  return best?.seats ?? null;
}
