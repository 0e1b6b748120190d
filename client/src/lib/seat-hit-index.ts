import type { SeatStore, SectionInfo } from './seat-store.ts';

const ROW_STRIDE = 1_000_003;

/**
 * Finds the seat under a point in layout units in O(1): seats are bucketed in a grid whose cell is one seat
 * pitch, so only the 3×3 cells around the point are looked at, however big the venue.
 */
export class SeatHitIndex {
  private readonly grid = new Map<number, number[]>();
  /** The first seat of every row (per section), where the row label is drawn. */
  readonly rowStarts: number[] = [];

  constructor(private readonly store: SeatStore) {
    const { seats, sections } = store;
    seats.forEach((s, i) => {
      const key = this.key(Math.floor(s.x / store.pitch), Math.floor(s.y / store.pitch));
      const cell = this.grid.get(key);
      if (cell) cell.push(i);
      else this.grid.set(key, [i]);
    });
    for (const section of sections) {
      const firstInRow = new Map<string, number>();
      for (const i of section.indices) {
        const s = seats[i]!;
        const cur = firstInRow.get(s.row);
        if (cur === undefined || s.x < seats[cur]!.x) firstInRow.set(s.row, i);
      }
      this.rowStarts.push(...firstInRow.values());
    }
  }

  private key(cx: number, cy: number): number {
    return cx * ROW_STRIDE + cy;
  }

  /** Index of the seat within 0.6 pitch of (x, y), or -1. */
  seatAt(x: number, y: number): number {
    const { seats, pitch } = this.store;
    let best = -1;
    let bestD = (pitch * 0.6) ** 2;
    const cx = Math.floor(x / pitch);
    const cy = Math.floor(y / pitch);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const i of this.grid.get(this.key(cx + dx, cy + dy)) ?? []) {
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
