import type { SeatChange, SeatMap, SeatStatus } from '@seatmap/shared';

/**
 * The simulator's own view of the seat map: the first snapshot, then the live changes one watcher receives and
 * what the buyers learn from their own answers. Buyers pick from it the way a person picks from the screen.
 */
export class SeatBoard {
  private readonly status = new Map<string, SeatStatus>();
  /** Seat ids per row in position order. */
  private readonly rows: string[][];

  constructor(map: SeatMap) {
    const byRow = new Map<string, { id: string; position: number }[]>();
    for (const seat of map.seats) {
      this.status.set(seat.id, seat.status);
      const key = `${seat.section}|${seat.row}`;
      const position = Number(/\d+$/.exec(seat.seatNumber)?.[0] ?? seat.x);
      const row = byRow.get(key) ?? [];
      row.push({ id: seat.id, position });
      byRow.set(key, row);
    }
    this.rows = [...byRow.values()].map((row) => row.sort((a, b) => a.position - b.position).map((s) => s.id));
  }

  get size() {
    return this.status.size;
  }

  has(seatId: string) {
    return this.status.has(seatId);
  }

  apply(changes: SeatChange[]) {
    for (const change of changes) if (this.status.has(change.seatId)) this.status.set(change.seatId, change.status);
  }

  mark(seatIds: Iterable<string>, status: SeatStatus) {
    for (const id of seatIds) if (this.status.has(id)) this.status.set(id, status);
  }

  count(status: SeatStatus): number {
    let n = 0;
    for (const s of this.status.values()) if (s === status) n++;
    return n;
  }

  /**
   * `count` adjacent free seats at one end of a free run in a random row, skipping choices that would strand a
   * single seat (the server's orphan rule would refuse them). Random rows first, then every row; null when the
   * board has no such run left.
   */
  pick(count: number, random: () => number = Math.random): string[] | null {
    if (this.rows.length === 0) return null;
    for (let i = 0; i < 40; i++) {
      const found = this.pickInRow(this.rows[Math.floor(random() * this.rows.length)]!, count, random);
      if (found) return found;
    }
    const start = Math.floor(random() * this.rows.length);
    for (let i = 0; i < this.rows.length; i++) {
      const found = this.pickInRow(this.rows[(start + i) % this.rows.length]!, count, random);
      if (found) return found;
    }
    return null;
  }

  private pickInRow(row: string[], count: number, random: () => number): string[] | null {
    const choices: string[][] = [];
    let runStart = -1;
    for (let i = 0; i <= row.length; i++) {
      const free = i < row.length && this.status.get(row[i]!) === 'available';
      if (free && runStart < 0) runStart = i;
      if (!free && runStart >= 0) {
        const length = i - runStart;
        if (length === count) choices.push(row.slice(runStart, i));
        else if (length >= count + 2) {
          choices.push(row.slice(runStart, runStart + count), row.slice(i - count, i));
        }
        runStart = -1;
      }
    }
    return choices.length ? choices[Math.floor(random() * choices.length)]! : null;
  }
}
