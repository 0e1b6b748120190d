import { z } from 'zod';

export const uuid = z.uuid();
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
