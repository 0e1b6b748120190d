/**
 * Where one concert's waiting-room state lives: Redis across nodes, memory when embedded. The settings come from
 * the database (passed in on every call, so a box-office change takes effect on the next call); the store keeps
 * only state. Times are epoch milliseconds on the store's clock (Redis `TIME`, or an injected clock), which every
 * reply reports as `now` so callers compute waits on the same clock.
 *
 * Order: a ticket that joins before `opensAt` gets a secret uniformly random sort key (drawn by the caller from a
 * CSPRNG), below every key of a later arrival, which gets the next sequence number: the pre-queue is a uniformly
 * random permutation, everyone after it first come, first served. The first call that sees `now >= opensAt`
 * opens the queue (a flag flipped once, atomically, by whichever node gets there first); positions are ranks in
 * one sorted set (O(log n)), admitted tickets leave it.
 *
 * Every method rejects with `QueueStateLost` when the concert's state is missing (never armed, or the store lost
 * its data): the queue then fails closed until the box office arms it again. Store outages reject with
 * `ServiceUnavailableError('hold-store')`.
 */
export interface QueueStore {
  readonly kind: 'redis' | 'memory';

  /** Creates the concert's (empty) state unless it exists; `secret` signs its challenges. True if created. */
  arm(concertId: string, secret: string): Promise<boolean>;

  /** The secret given to `arm`. */
  secret(concertId: string): Promise<string>;

  /** Adds a new ticket (`member` is its random id) and answers its view. */
  join(concertId: string, settings: QueueSettings, member: string, preQueueKey: number): Promise<TicketView>;

  /** A ticket's view, or null when the store does not know it. */
  view(concertId: string, settings: QueueSettings, member: string): Promise<TicketView | null>;

  /**
   * The ticket leaves: out of the line if waiting, or its admission ends (`left`). Returns what it was, and the
   * hold its admission had (to release), or null when unknown.
   */
  leave(
    concertId: string,
    member: string,
  ): Promise<{ was: 'waiting' | 'admitted' | 'closed'; holdId: string | null } | null>;

  /**
   * One metering step: ends admissions whose time is up, then admits the next tickets in order while the
   * budget allows — at most `admitPerMinute` in any 60 s (paced, with at most BURST_MS of tokens banked) and at
   * most `maxActive` active — and at most `limit` per call. Atomic, so any number of nodes may call it at once.
   * Returns how many it admitted and the holds of the admissions that ended (to release).
   */
  admit(
    concertId: string,
    settings: QueueSettings,
    limit: number,
  ): Promise<{ admitted: number; expiredHolds: string[] }>;

  /** An admission by its token (without the concert prefix), or null when unknown. */
  admission(concertId: string, token: string): Promise<Admission | null>;

  /**
   * Compare-and-set of the admission's hold: succeeds only while the admission is active and its hold is
   * `expected` ('' for none). `holdUntil` bounds a pending marker's life.
   */
  setHold(concertId: string, token: string, expected: string, next: string, holdUntil: number): Promise<boolean>;

  /** Ends an active admission (booked or given up); its active place is free at once. */
  endAdmission(concertId: string, token: string, reason: 'booked' | 'left'): Promise<void>;

  stats(concertId: string): Promise<QueueStateStats>;

  /** Marks a challenge used; false when it already was. Remembered until `expiresAt`. */
  useChallenge(concertId: string, challengeId: string, expiresAt: number): Promise<boolean>;

  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface QueueSettings {
  opensAt: number;
  admitPerMinute: number;
  maxActive: number;
  sessionMs: number;
  paused: boolean;
}

export type TicketView =
  | {
      status: 'waiting';
      now: number;
      /** Tickets ahead of this one; null before the queue opens (pre-queue, order not yet revealed). */
      ahead: number | null;
      /** Everyone waiting (before opening: the pre-queue). */
      waiting: number;
      active: number;
      admittedLastMinute: number;
    }
  | { status: 'admitted'; now: number; token: string; expiresAt: number }
  | { status: 'closed'; now: number };

export type AdmissionState = 'active' | 'booked' | 'left' | 'expired';

export interface Admission {
  member: string;
  state: AdmissionState;
  expiresAt: number;
  /** The admission's hold, a pending marker (`pending:…`), or '' for none. */
  holdId: string;
  holdUntil: number;
  now: number;
}

export interface QueueStateStats {
  waiting: number;
  active: number;
  admittedTotal: number;
  admittedLastMinute: number;
  expiredTotal: number;
}

/** Tokens banked for the pacer: the admitter's ticks may admit up to this much of the rate at once. */
export const BURST_MS = 1000;
/** Pre-queue sort keys are integers below this; later arrivals get FIFO_BASE + their sequence number. */
export const FIFO_BASE = 2 ** 52;
export const PENDING_PREFIX = 'pending:';

/** The concert's queue state is missing (never armed, or the store lost its data): fail closed. */
export class QueueStateLost extends Error {
  constructor(readonly concertId: string) {
    super(`queue state of concert ${concertId} is missing`);
    this.name = 'QueueStateLost';
  }
}

/** How many admissions the pacer and the limits allow now (shared by both stores so they meter alike). */
export function admissionBudget(input: {
  now: number;
  tat: number;
  admitPerMinute: number;
  inLastMinute: number;
  maxActive: number;
  active: number;
  limit: number;
}): number {
  const interval = 60_000 / input.admitPerMinute;
  const tat = Math.max(input.tat, input.now);
  const byPace = Math.floor((input.now + BURST_MS - tat) / interval) + 1;
  return Math.max(
    0,
    Math.min(byPace, input.admitPerMinute - input.inLastMinute, input.maxActive - input.active, input.limit),
  );
}
