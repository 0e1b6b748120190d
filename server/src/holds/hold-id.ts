import { randomToken } from '../random-token.ts';

/** Characters of the performance part: a UUID's 16 bytes as base64url. */
const SCHEDULE_CHARS = 22;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Hold ids are bearer tokens: the performance's id (22 characters) then 192 random bits, URL-safe (54 characters in
 * all, inside SPEC's 64) — from a pooled CSPRNG buffer, not a CSPRNG call per hold. Clients treat them as opaque;
 * the store reads the performance back (`holdSchedule`) so an operation named by hold id alone goes straight to the
 * performance's keys, which on a Redis Cluster means its slot (decision 0014).
 */
export function newHoldId(scheduleId: string): string {
  if (!UUID.test(scheduleId)) throw new Error(`not a performance id: ${scheduleId}`);
  return Buffer.from(scheduleId.replaceAll('-', ''), 'hex').toString('base64url') + randomToken(24);
}

/** The performance a hold id was made for, or null when it is no hold id of ours (unknown, then). */
export function holdSchedule(holdId: string): string | null {
  if (holdId.length !== SCHEDULE_CHARS + 32) return null;
  const bytes = Buffer.from(holdId.slice(0, SCHEDULE_CHARS), 'base64url');
  if (bytes.length !== 16 || bytes.toString('base64url') !== holdId.slice(0, SCHEDULE_CHARS)) return null;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
