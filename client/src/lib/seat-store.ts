import type { Seat, SeatMap, SeatStatus, SeatsChanged } from '@seatmap/shared';

export const STATUS_CODE: Record<SeatStatus, number> = { available: 0, held: 1, reserved: 2 };
export const STATUS_NAME: readonly SeatStatus[] = ['available', 'held', 'reserved'];

export type ApplyResult = { kind: 'applied'; changed: number[] } | { kind: 'stale' } | { kind: 'gap' };

export interface SectionInfo {
  name: string;
  grade: string;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  indices: number[];
}

/**
 * One performance's seats: the static layout (seats, sections, spacing) plus a compact status array and the
 * live version. Statuses live in a Uint8Array so a 50,000-seat map takes 1,000 changes a second cheaply.
 */
export class SeatStore {
  readonly seats: readonly Seat[];
  readonly indexById = new Map<string, number>();
  readonly status: Uint8Array;
  readonly sections: SectionInfo[] = [];
  /** Typical distance between neighbouring seats, in layout units. */
  readonly pitch: number;
  readonly bounds: { minX: number; minY: number; maxX: number; maxY: number };
  version: number;

  constructor(snapshot: SeatMap) {
    this.seats = snapshot.seats;
    this.version = snapshot.version;
    this.status = new Uint8Array(this.seats.length);
    const sectionByName = new Map<string, SectionInfo>();
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    this.seats.forEach((seat, i) => {
      this.indexById.set(seat.id, i);
      this.status[i] = STATUS_CODE[seat.status];
      let section = sectionByName.get(seat.section);
      if (!section) {
        section = {
          name: seat.section,
          grade: seat.grade,
          minX: seat.x,
          minY: seat.y,
          maxX: seat.x,
          maxY: seat.y,
          indices: [],
        };
        sectionByName.set(seat.section, section);
        this.sections.push(section);
      }
      section.indices.push(i);
      section.minX = Math.min(section.minX, seat.x);
      section.minY = Math.min(section.minY, seat.y);
      section.maxX = Math.max(section.maxX, seat.x);
      section.maxY = Math.max(section.maxY, seat.y);
      minX = Math.min(minX, seat.x);
      minY = Math.min(minY, seat.y);
      maxX = Math.max(maxX, seat.x);
      maxY = Math.max(maxY, seat.y);
    });
    this.bounds = this.seats.length ? { minX, minY, maxX, maxY } : { minX: 0, minY: 0, maxX: 1, maxY: 1 };
    this.pitch = estimatePitch(this.seats);
  }

  statusOf(i: number): SeatStatus {
    return STATUS_NAME[this.status[i] ?? 0] ?? 'available';
  }

  /** Applies a live event: ignores old ones, reports a gap when an event was missed. */
  apply(event: SeatsChanged): ApplyResult {
    if (event.version <= this.version) return { kind: 'stale' };
    if (event.fromVersion !== this.version) return { kind: 'gap' };
    const changed: number[] = [];
    for (const change of event.changes) {
      const i = this.indexById.get(change.seatId);
      if (i === undefined) continue;
      this.status[i] = STATUS_CODE[change.status];
      changed.push(i);
    }
    this.version = event.version;
    return { kind: 'applied', changed };
  }

  /** Takes a fresh snapshot of the same performance; returns the indices whose status changed. */
  reload(snapshot: SeatMap): number[] {
    const changed: number[] = [];
    for (const seat of snapshot.seats) {
      const i = this.indexById.get(seat.id);
      if (i === undefined) continue;
      const code = STATUS_CODE[seat.status];
      if (this.status[i] !== code) {
        this.status[i] = code;
        changed.push(i);
      }
    }
    this.version = snapshot.version;
    return changed;
  }

  /** The nearest seat in a direction, preferring seats on the same line (keyboard navigation). */
  neighbour(from: number, dx: -1 | 0 | 1, dy: -1 | 0 | 1): number | undefined {
    const origin = this.seats[from];
    if (!origin) return undefined;
    let best: number | undefined;
    let bestScore = Infinity;
    const minStep = this.pitch * 0.3;
    for (let i = 0; i < this.seats.length; i++) {
      const s = this.seats[i]!;
      const primary = dx !== 0 ? (s.x - origin.x) * dx : (s.y - origin.y) * dy;
      if (primary < minStep) continue;
      const secondary = Math.abs(dx !== 0 ? s.y - origin.y : s.x - origin.x);
      const score = primary + secondary * 3;
      if (score < bestScore) {
        bestScore = score;
        best = i;
      }
    }
    return best;
  }

  /** First or last seat of the focused seat's row within its section. */
  rowEnd(from: number, end: 'first' | 'last'): number | undefined {
    const origin = this.seats[from];
    if (!origin) return undefined;
    let best: number | undefined;
    for (const i of this.sections.find((s) => s.name === origin.section)?.indices ?? []) {
      const s = this.seats[i]!;
      if (s.row !== origin.row) continue;
      const b = best === undefined ? undefined : this.seats[best]!;
      if (!b || (end === 'first' ? s.x < b.x : s.x > b.x)) best = i;
    }
    return best;
  }

  countAvailable(indices: readonly number[]): number {
    let n = 0;
    for (const i of indices) if (this.status[i] === 0) n++;
    return n;
  }
}

/** Median smallest gap between seats of the same row; 1 for a single seat. */
function estimatePitch(seats: readonly Seat[]): number {
  const byRow = new Map<string, number[]>();
  for (const s of seats) {
    const key = `${s.section}\u0000${s.row}`;
    const xs = byRow.get(key);
    if (xs) xs.push(s.x);
    else byRow.set(key, [s.x]);
  }
  const gaps: number[] = [];
  for (const xs of byRow.values()) {
    if (xs.length < 2) continue;
    xs.sort((a, b) => a - b);
    for (let i = 1; i < xs.length && gaps.length < 5000; i++) {
      const gap = xs[i]! - xs[i - 1]!;
      if (gap > 0) gaps.push(gap);
    }
  }
  if (!gaps.length) return 1;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)]!;
}

/** The seat's number within its row: "A07" → 7. */
export function seatPosition(seat: Pick<Seat, 'seatNumber'>): string {
  const m = /(\d+)\s*$/.exec(seat.seatNumber);
  return m ? String(Number(m[1])) : seat.seatNumber;
}
