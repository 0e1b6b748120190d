import type { layoutAreaSchema, SeatStatus, SeatsChanged } from '@seatmap/shared';
import type { z } from 'zod';
import { type LayoutSeat, type SeatSnapshot, STATUS_CODE, STATUS_NAME } from './seat-snapshot.ts';

/** A standing area (SPEC §12) and how many of its places are free now (`areas` of the status, `areaChanges`). */
export type StoreArea = z.infer<typeof layoutAreaSchema> & { available: number };

/** A snapshot with the performance's standing areas, when its source has them. */
export type AreaSnapshot = SeatSnapshot & { areas?: readonly StoreArea[] };

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
  readonly seats: readonly LayoutSeat[];
  readonly status: Uint8Array;
  readonly sections: SectionInfo[] = [];
  /** Standing areas in layout order, each with its live count of free places. */
  readonly areas: StoreArea[];
  /** The highest price of each grade, grades in seat order. */
  readonly gradePrices = new Map<string, number>();
  /** Typical distance between neighbouring seats, in layout units. */
  readonly pitch: number;
  readonly bounds: { minX: number; minY: number; maxX: number; maxY: number };
  version: number;
  private byId: Map<string, number> | null = null;

  constructor(snapshot: AreaSnapshot) {
    this.seats = snapshot.seats;
    this.areas = (snapshot.areas ?? []).map((a) => ({ ...a }));
    this.version = snapshot.version;
    this.status = Uint8Array.from(snapshot.codes);
    const sectionByName = new Map<string, SectionInfo>();
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    let section: SectionInfo | undefined;
    let lastGrade = '';
    let lastPrice = Number.NaN;
    const { seats } = this;
    for (let i = 0; i < seats.length; i++) {
      const seat = seats[i]!;
      const { x, y } = seat;
      // Seats of a section mostly come together in seat order: look the section up only when it changes.
      if (section?.name !== seat.section) section = sectionByName.get(seat.section);
      if (!section) {
        section = { name: seat.section, grade: seat.grade, minX: x, minY: y, maxX: x, maxY: y, indices: [] };
        sectionByName.set(seat.section, section);
        this.sections.push(section);
      }
      section.indices.push(i);
      if (seat.grade !== lastGrade || seat.price !== lastPrice) {
        lastGrade = seat.grade;
        lastPrice = seat.price;
        this.gradePrices.set(lastGrade, Math.max(this.gradePrices.get(lastGrade) ?? 0, lastPrice));
      }
      if (x < section.minX) section.minX = x;
      if (x > section.maxX) section.maxX = x;
      if (y < section.minY) section.minY = y;
      if (y > section.maxY) section.maxY = y;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    for (const a of this.areas) {
      // A standing area's grade is a grade of the venue too (legend, colours).
      this.gradePrices.set(a.grade, Math.max(this.gradePrices.get(a.grade) ?? 0, a.price));
      minX = Math.min(minX, a.x);
      minY = Math.min(minY, a.y);
      maxX = Math.max(maxX, a.x + a.width);
      maxY = Math.max(maxY, a.y + a.height);
    }
    this.bounds = Number.isFinite(minX) ? { minX, minY, maxX, maxY } : { minX: 0, minY: 0, maxX: 1, maxY: 1 };
    this.pitch = estimatePitch(seats);
  }

  /**
   * Seat index by seat id, built on first use: the first paint of a stadium needs no id lookups (live events carry
   * the index, SPEC §9), and 50,000 ids hashed up front cost a phone tens of milliseconds.
   */
  get indexById(): ReadonlyMap<string, number> {
    if (!this.byId) {
      this.byId = new Map();
      for (let i = 0; i < this.seats.length; i++) this.byId.set(this.seats[i]!.id, i);
    }
    return this.byId;
  }

  /** The index of a seat of a live change: its `index` when that names the same seat, else by its id. */
  private indexOfChange(change: { seatId: string; index: number }): number | undefined {
    return this.seats[change.index]?.id === change.seatId ? change.index : this.indexById.get(change.seatId);
  }

  statusOf(i: number): SeatStatus {
    return STATUS_NAME[this.status[i] ?? STATUS_CODE.available] ?? 'available';
  }

  isAvailable(i: number): boolean {
    return this.status[i] === STATUS_CODE.available;
  }

  /** Applies a live event: ignores old ones, reports a gap when an event was missed. */
  apply(event: SeatsChanged): ApplyResult {
    if (event.version <= this.version) return { kind: 'stale' };
    if (event.fromVersion !== this.version) return { kind: 'gap' };
    const changed: number[] = [];
    for (const change of event.changes) {
      const i = this.indexOfChange(change);
      if (i === undefined) continue;
      this.status[i] = STATUS_CODE[change.status];
      changed.push(i);
    }
    for (const change of event.areaChanges ?? []) this.setAreaAvailable(change.areaId, change.available);
    this.version = event.version;
    return { kind: 'applied', changed };
  }

  private setAreaAvailable(areaId: string, available: number): void {
    const area = this.areas.find((a) => a.id === areaId);
    if (area) area.available = available;
  }

  /** Takes a fresh snapshot of the same performance; returns the indices whose status changed. */
  reload(snapshot: AreaSnapshot): number[] {
    for (const a of snapshot.areas ?? []) this.setAreaAvailable(a.id, a.available);
    const changed: number[] = [];
    for (let k = 0; k < snapshot.seats.length; k++) {
      // Matched by id (same position first): a snapshot applies to this layout whatever order it lists seats in.
      const id = snapshot.seats[k]!.id;
      const i = this.seats[k]?.id === id ? k : this.indexById.get(id);
      if (i === undefined) continue;
      const code = snapshot.codes[k]!;
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

  /** How many seats have each status. */
  statusCounts(): Record<SeatStatus, number> {
    const counts = [0, 0, 0];
    for (const code of this.status) counts[code]!++;
    return {
      available: counts[STATUS_CODE.available]!,
      held: counts[STATUS_CODE.held]!,
      reserved: counts[STATUS_CODE.reserved]!,
    };
  }

  countAvailable(indices: readonly number[]): number {
    let n = 0;
    for (const i of indices) if (this.status[i] === STATUS_CODE.available) n++;
    return n;
  }
}

const PITCH_SAMPLE_RUN = 1000;
const PITCH_SAMPLE_RUNS = 8;

/** Median smallest gap between seats of the same row; 1 for a single seat. */
function estimatePitch(seats: readonly LayoutSeat[]): number {
  const byRow = new Map<string, number[]>();
  // A big venue is sampled: a few runs of consecutive seats (whole rows, in seat order) spread over the layout.
  const step = Math.max(PITCH_SAMPLE_RUN, Math.ceil(seats.length / PITCH_SAMPLE_RUNS));
  for (let start = 0; start < seats.length; start += step) {
    for (let i = start; i < Math.min(seats.length, start + PITCH_SAMPLE_RUN); i++) {
      const s = seats[i]!;
      const key = `${s.section}\u0000${s.row}`;
      const xs = byRow.get(key);
      if (xs) xs.push(s.x);
      else byRow.set(key, [s.x]);
    }
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
export function seatPosition(seat: Pick<LayoutSeat, 'seatNumber'>): string {
  const m = /(\d+)\s*$/.exec(seat.seatNumber);
  return m ? String(Number(m[1])) : seat.seatNumber;
}
