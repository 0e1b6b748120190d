import { randomBytes } from 'node:crypto';

/**
 * Ids for the seats of one performance: RFC 9562 version-8 UUIDs whose first 80 bits are random per layout and
 * whose last 48 bits count the seats. Seat ids are public (every seat map lists them), so they need to be unique,
 * not secret; sharing a prefix lets a 50,000-seat map compress to a fraction of the size random UUIDs allow, and
 * keeps the primary-key index append-only while a layout is inserted.
 */
export function layoutSeatIds(count: number): string[] {
  const prefix = randomBytes(10);
  prefix[6] = (prefix[6]! & 0x0f) | 0x80; // version 8
  prefix[8] = (prefix[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = prefix.toString('hex');
  const head = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-`;
  return Array.from({ length: count }, (_, i) => head + i.toString(16).padStart(12, '0'));
}
