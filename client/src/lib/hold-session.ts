import type { Hold, Reservation } from '@seatmap/shared';

/** What the checkout needs about the current hold; kept in sessionStorage so a reload keeps the hold. */
export interface HoldSession {
  hold: Hold;
  concertId: string;
  concertTitle: string;
  venue: string;
  timezone: string;
  dateTime: string;
  date: string;
  seats: { id: string; seatNumber: string; row: string; section: string; grade: string; price: number }[];
  /** Standing places in the hold (SPEC §12), if any. */
  areaPlaces?: { name: string; grade: string; price: number; quantity: number } | null;
  /** Whether seat names need the section (venues with several). */
  withSection: boolean;
  idempotencyKey: string;
}

const HOLD_KEY = 'seatmap.hold';
const RESERVATION_KEY = 'seatmap.reservation';

function read<T>(key: string): T | null {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

function write(key: string, value: unknown): void {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the session just does not survive a reload.
  }
}

/** Why the session changed: the customer's own step, or the hold ended without them (expired or gone). */
export type HoldSessionChange = { kind: 'set'; session: HoldSession | null } | { kind: 'expired'; ended: HoldSession };
type Listener = (change: HoldSessionChange) => void;

let current: HoldSession | null = read<HoldSession>(HOLD_KEY);
const listeners = new Set<Listener>();

function notify(change: HoldSessionChange): void {
  for (const fn of [...listeners]) fn(change);
}

/** The customer's one hold of this tab. Whoever shows or depends on it subscribes; nothing polls it. */
export const holdSession = {
  get(): HoldSession | null {
    return current;
  },

  set(session: HoldSession | null): void {
    current = session;
    write(HOLD_KEY, session);
    notify({ kind: 'set', session });
  },

  /** The hold ended on the server's clock or is gone (404): clear it and tell subscribers (the expiry dialog). */
  expire(): void {
    const ended = current;
    if (!ended) return;
    current = null;
    write(HOLD_KEY, null);
    notify({ kind: 'expired', ended });
  },

  subscribe(fn: Listener): () => void {
    listeners.add(fn);
    return () => listeners.delete(fn);
  },
};

/** Seconds left on the hold by the local clock. */
export function secondsLeft(session: HoldSession, now = Date.now()): number {
  return (Date.parse(session.hold.expiresAt) - now) / 1000;
}

export function lastReservation(): (Reservation & { timezone: string; venue: string }) | null {
  return read(RESERVATION_KEY);
}

export function setLastReservation(r: Reservation & { timezone: string; venue: string }): void {
  write(RESERVATION_KEY, r);
}

/** An idempotency key; randomUUID needs a secure context, so fall back to getRandomValues. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
