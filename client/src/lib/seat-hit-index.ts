import type { SeatStore, SectionInfo } from './seat-store.ts';

const ROW_STRIDE = 1_000_003;

/**
 * Finds the seat under a point in layout units in O(1): seats are bucketed in a grid whose cell is one seat
 * pitch, so only the 3×3 cells around the point are looked at, however big the venue.
 */
export class SeatHitIndex {
  private cells: Map<number, number[]> | null = null;
  private starts: number[] | null = null;

  /** Built on first use: a stadium's first paint is its section overview, which needs neither. */
  constructor(private readonly store: SeatStore) {}

  private get grid(): Map<number, number[]> {
    if (this.cells) return this.cells;
    const { seats, pitch } = this.store;
    const grid = new Map<number, number[]>();
    for (let i = 0; i < seats.length; i++) {
      const s = seats[i]!;
      const key = this.key(Math.floor(s.x / pitch), Math.floor(s.y / pitch));
      const cell = grid.get(key);
      if (cell) cell.push(i);
      else grid.set(key, [i]);
    }
    this.cells = grid;
    return grid;
  }

  /** The first seat of every row (per section), where the row label is drawn. */
  get rowStarts(): readonly number[] {
    if (this.starts) return this.starts;
    const { seats, sections } = this.store;
    const starts: number[] = [];
    for (const section of sections) {
      const firstInRow = new Map<string, number>();
      for (const i of section.indices) {
        const s = seats[i]!;
        const cur = firstInRow.get(s.row);
        if (cur === undefined || s.x < seats[cur]!.x) firstInRow.set(s.row, i);
      }
      starts.push(...firstInRow.values());
    }
    this.starts = starts;
    return starts;
  }

  private key(cx: number, cy: number): number {
    return cx * ROW_STRIDE + cy;
  }

  /** Index of the seat within 0.6 pitch of (x, y), or -1. */
  seatAt(x: number, y: number): number {
    const { seats, pitch } = this.store;
    const { grid } = this;
    let best = -1;
    let bestD = (pitch * 0.6) ** 2;
    const cx = Math.floor(x / pitch);
    const cy = Math.floor(y / pitch);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const i of grid.get(this.key(cx + dx, cy + dy)) ?? []) {
          const s = seats[i]!;
          const d = (s.x - x) ** 2 + (s.y - y) ** 2;
          if (d < bestD) {
            bestD = d;
            best = i;
          }
        }
      }
    }
    return best;
  }

  /** The section whose block (its seats plus one pitch around) contains (x, y). */
  sectionAt(x: number, y: number): SectionInfo | undefined {
    const { pitch, sections } = this.store;
    return sections.find(
      (s) => x >= s.minX - pitch && x <= s.maxX + pitch && y >= s.minY - pitch && y <= s.maxY + pitch,
    );
  }
}
