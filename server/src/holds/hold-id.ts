import { randomBytes } from 'node:crypto';

/** Hold ids are bearer tokens: 192 random bits, URL-safe. */
export function newHoldId(): string {
  return randomBytes(24).toString('base64url');
}
