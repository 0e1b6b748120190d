import { setConcertHeader } from '../lib/api.ts';

/**
 * What this browser remembers of one concert's waiting room (localStorage, so a reload or a second tab keeps the
 * place): the ticket, and once admitted the admission token and its end. `noQueueUntil` remembers for a minute
 * that the concert had no waiting room, so the seat map does not ask again on every visit.
 */
export interface QueueEntry {
  ticket?: string;
  token?: string;
  expiresAt?: number;
  noQueueUntil?: number;
}

/** How long a "no waiting room" answer is trusted. */
export const NO_QUEUE_MS = 60_000;

const key = (concertId: string) => `seatmap.queue.${concertId}`;
const PREFIX = 'seatmap.queue.';

export function queueEntry(concertId: string): QueueEntry {
  try {
    return JSON.parse(localStorage.getItem(key(concertId)) ?? '{}') as QueueEntry;
  } catch {
    return {};
  }
}

export function saveQueueEntry(concertId: string, entry: QueueEntry): void {
  try {
    if (Object.keys(entry).length === 0) localStorage.removeItem(key(concertId));
    else localStorage.setItem(key(concertId), JSON.stringify(entry));
  } catch {
    // Storage disabled: the place lasts for this page only (the server still has it).
  }
  applyAdmission(concertId);
}

/** The admission token while it lasts, else null. */
export function admissionToken(concertId: string, now = Date.now()): string | null {
  const entry = queueEntry(concertId);
  return entry.token && (entry.expiresAt ?? 0) > now ? entry.token : null;
}

/** Every booking call of the concert carries its admission token (the fetch wrapper's per-concert headers). */
export function applyAdmission(concertId: string): void {
  const token = admissionToken(concertId);
  setConcertHeader(concertId, 'x-admission-token', token || null);
}

/** Every admission token this browser holds, for the live connection's handshake (`schedule:join` checks them). */
export function admissionTokens(now = Date.now()): string[] {
  const tokens: string[] = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const name = localStorage.key(i);
      if (!name?.startsWith(PREFIX)) continue;
      const token = admissionToken(name.slice(PREFIX.length), now);
      if (token) tokens.push(token);
    }
  } catch {
    // No storage: no tokens.
  }
  return tokens;
}
