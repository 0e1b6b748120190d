import type { SeatEvent } from './seat-event.ts';

export type { SeatEvent };

/** A live hold as the store keeps it. `expiresAt` is epoch milliseconds. */
export interface HoldRecord {
  holdId: string;
  scheduleId: string;
  seatIds: string[];
  expiresAt: number;
}

/**
 * Whom a hold counts against (SPEC §11 hold cap): a client address or an admission, per performance. At most
 * `maxSeats` seats of live holds per holder at once, counted in the step that creates or grows a hold.
 */
export interface HoldHolder {
  key: string;
  maxSeats: number;
}

/**
 * The orphan rule's check, done by `create` in the step that takes the seats: each free seat next to the choice with
 * its neighbours in the row (null at a row end or a gap in positions). The hold is refused (`orphan`) when one of
 * them would be left alone by it and was not alone before. Whether another choice would avoid that is the caller's
 * question (it needs the whole rows, and is rare).
 */
export interface OrphanGuard {
  seatId: string;
  left: string | null;
  right: string | null;
}

export type HoldOutcome =
  | { ok: true; hold: HoldRecord; event: SeatEvent | null }
  | { ok: false; reason: 'unavailable'; unavailableSeatIds: string[] }
  | { ok: false; reason: 'not_found' }
  /** modify only: the hold would end with more than `maxSeats` seats. */
  | { ok: false; reason: 'too_many'; seats: number }
  /** The holder has `held` seats in live holds and this would pass its cap; the first of them ends in `retryAfterMs`. */
  | { ok: false; reason: 'holder_limit'; held: number; retryAfterMs: number }
  /** create only: the choice would strand these seats (see OrphanGuard). */
  | { ok: false; reason: 'orphan'; strandedSeatIds: string[] };

export interface SeatStates {
  version: number;
  held: string[];
  reserved: string[];
}

/**
 * What the store needs from the database, which stays the authority on reserved seats (SQL stays in repositories;
 * the app passes these in).
 */
export interface ReservedSeatSource {
  /** Reserved seats of every performance that has not started yet, by performance. */
  all(): Promise<Map<string, string[]>>;
  /** Reserved seats of one performance (the Redis store loads its markers one performance at a time). */
  of(scheduleId: string): Promise<string[]>;
  /** Which of these seats the database has reserved. */
  among(seatIds: string[]): Promise<string[]>;
}

/**
 * Where holds, reserved markers and the per-schedule seat version live (Redis across nodes, memory when
 * embedded). Every method that changes a seat's public status advances the schedule's version by one per
 * changed seat and publishes the event, in one atomic step (so events of one performance go out in version order),
 * and returns that event (null, and no version step, when no seat's public status changed).
 *
 * A seat's public status is reserved if marked reserved, else held if a hold took it and it has not been
 * released, swept or reserved since, else available. A hold is live until its expiry (or the end of a claim's
 * lease); an expired hold no longer blocks anyone, but its seats stay "held" until `sweepExpired` frees and
 * broadcasts them. Seats are identified by id; callers have already checked that they belong to the schedule.
 * Store failures (Redis down or hung) reject with `ServiceUnavailableError('hold-store')`.
 */
export interface HoldStore {
  readonly kind: 'redis' | 'memory';

  /**
   * All-or-nothing: holds every seat or none; refuses seats held by a live hold or marked reserved, naming
   * exactly those. `holdId` is the caller's random token; reusing one that exists throws. With `orphanGuard`, a
   * choice that would strand one of its seats is refused as well (checked after the cap and availability).
   */
  create(input: {
    holdId: string;
    scheduleId: string;
    seatIds: string[];
    ttlMs: number;
    holder?: HoldHolder;
    orphanGuard?: OrphanGuard[];
  }): Promise<HoldOutcome>;

  /** A live hold (a claimed one stays live during its lease), or null when unknown or expired. */
  get(holdId: string): Promise<HoldRecord | null>;

  /**
   * Adds (all-or-nothing) and removes seats; the expiry does not move. A seat in both lists is left alone.
   * Removing every seat is refused by the caller. Adding counts against the hold's holder (its cap: `maxHeldSeats`).
   */
  modify(
    holdId: string,
    change: { add: string[]; remove: string[]; maxSeats?: number; maxHeldSeats?: number },
  ): Promise<HoldOutcome>;

  /** Deletes a hold and frees its seats at once. Null when it was not live. */
  release(holdId: string): Promise<SeatEvent | null>;

  /**
   * Before the booking transaction: checks that the hold is live and still owns every seat, and makes sure it
   * cannot expire for `leaseMs` (a fence: an expired hold whose seats were re-held never books them).
   */
  claim(holdId: string, leaseMs: number): Promise<HoldRecord | null>;

  /**
   * After the booking commit: the hold is gone and `seatIds` are marked reserved (held → reserved), even if the
   * hold is already gone; any other seats of the hold are freed. Throws if the hold belongs to another schedule.
   */
  consume(holdId: string, scheduleId: string, seatIds: string[]): Promise<SeatEvent | null>;

  /** Marks seats reserved (e.g. found reserved by the database), dropping any hold markers on them. */
  markReserved(scheduleId: string, seatIds: string[]): Promise<SeatEvent | null>;

  /** After a cancellation commit: reserved → available. Seats that were not reserved are left alone. */
  markAvailable(scheduleId: string, seatIds: string[]): Promise<SeatEvent | null>;

  /** The schedule's current version alone (one cheap read, e.g. to validate a cached snapshot). */
  version(scheduleId: string): Promise<number>;

  /** Version and the held / reserved seat ids (public statuses) of one schedule, read atomically. */
  states(scheduleId: string): Promise<SeatStates>;

  /** How many seats `states` would list as held and as reserved, without transferring the lists. */
  counts(scheduleId: string): Promise<{ held: number; reserved: number }>;

  /**
   * Which of these seats are held by a live hold or reserved right now, i.e. what `create` would refuse (for the
   * orphan rule and best-available).
   */
  unavailable(scheduleId: string, seatIds: string[]): Promise<Set<string>>;

  /**
   * Releases up to `limit` holds whose time is up, each exactly once across every node; returns the published
   * events (one per schedule touched). Seats another hold took over meanwhile stay held; seats the database has
   * reserved (a booking whose node died between commit and consuming its hold) turn reserved, not free.
   */
  sweepExpired(limit?: number): Promise<SeatEvent[]>;

  /**
   * Makes sure the reserved markers are loaded from the database (on start, and after the store lost its data —
   * which the store also notices by itself and repairs before any version moves; see recovery.ts).
   */
  ensureLoaded(): Promise<void>;

  ping(): Promise<void>;
  close(): Promise<void>;
}
