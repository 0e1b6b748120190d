import { z } from 'zod';

export const uuid = z.uuid();

/**
 * Free text from users: any Unicode except control characters (tab and line breaks allowed). Postgres refuses NUL
 * in text, and no name, title or number needs the others.
 */
export const plainText = () =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  z.string().regex(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/, 'must not contain control characters');
/** Venue-local calendar date. */
export const isoDate = z.iso.date();
/** ISO-8601 timestamp with an offset, e.g. 2026-12-24T19:00:00+09:00. */
export const isoDateTime = z.iso.datetime({ offset: true });

export const seatStatusSchema = z.enum(['available', 'held', 'reserved']);
export type SeatStatus = z.infer<typeof seatStatusSchema>;

/** Korean mobile numbers: 010-1234-5678, 01012345678, 011-123-4567 … */
export const koreanMobileSchema = z
  .string()
  .trim()
  .max(20)
  .regex(/^01[016789][- ]?\d{3,4}[- ]?\d{4}$/, 'Korean mobile number, e.g. 010-1234-5678');

/** Digits only, so 010-1234-5678 and 01012345678 match. */
export function normalizePhone(phone: string): string {
  return phone.replace(/\D/g, '');
}

/** 010-1234-5678 for display. */
export function formatPhone(digits: string): string {
  const d = normalizePhone(digits);
  if (d.length === 11) return `${d.slice(0, 3)}-${d.slice(3, 7)}-${d.slice(7)}`;
  if (d.length === 10) return `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`;
  return d;
}

/**
 * A reservation number shown to someone who proved only a contact and a name (SPEC §11): the last 4 characters.
 * Reservation numbers never contain `*`, so a masked one is never mistaken for a real one.
 */
export function maskReservationNumber(reservationNumber: string): string {
  return `****${reservationNumber.slice(-4)}`;
}

export function isMaskedReservationNumber(value: string): boolean {
  return value.startsWith('*');
}
