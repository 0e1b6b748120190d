import { randomBytes } from 'node:crypto';

/**
 * Tickets and admission tokens name their concert in their first part (the concert id in 22 characters), so a
 * poll or a hold finds the concert's queue without any lookup, and a second random part no one can guess:
 * `<concert>.<random>`. Only the random part is stored; the concert part routes, it never grants anything.
 */
export function compactId(uuid: string): string {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex').toString('base64url');
}

function expandId(compact: string): string | null {
  if (!/^[A-Za-z0-9_-]{22}$/.test(compact)) return null;
  const hex = Buffer.from(compact, 'base64url').toString('hex');
  if (hex.length !== 32) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const newMember = () => randomBytes(16).toString('base64url');

export const formatOpaque = (concertId: string, secretPart: string) => `${compactId(concertId)}.${secretPart}`;

/** `<concert>.<random>` → its parts, or null when it is not one of ours. */
export function parseOpaque(value: string): { concertId: string; secret: string } | null {
  const dot = value.indexOf('.');
  if (dot < 0) return null;
  const concertId = expandId(value.slice(0, dot));
  const secret = value.slice(dot + 1);
  if (!concertId || !/^[A-Za-z0-9_-]{16,64}$/.test(secret)) return null;
  return { concertId, secret };
}

/** A pre-queue sort key: 52 random bits from the CSPRNG (never from anything the client sent). */
export function preQueueKey(): number {
  return Number(randomBytes(8).readBigUInt64BE() >> 12n);
}
