import { randomToken } from '../random-token.ts';

/** Hold ids are bearer tokens: 192 random bits, URL-safe — from a pooled CSPRNG buffer, not a CSPRNG call per hold. */
export function newHoldId(): string {
  return randomToken(24);
}
