import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { leadingZeroBits, type QueueProof } from '@seatmap/shared';

/** How long a challenge may be solved and redeemed. */
export const CHALLENGE_TTL_MS = 5 * 60_000;

/**
 * Proof-of-work challenges are stateless until redeemed: `<expiresAt>.<random>.<mac>`, the MAC keyed by the
 * concert queue's secret. Issuing one stores nothing (a flood of challenge requests costs no memory); redeeming
 * one marks its random part used until it expires, so each is good once.
 */
export function issueChallenge(
  secret: string,
  concertId: string,
  now: number,
): { challenge: string; expiresAt: number } {
  const expiresAt = now + CHALLENGE_TTL_MS;
  const body = `${expiresAt.toString(36)}.${randomBytes(12).toString('base64url')}`;
  return { challenge: `${body}.${mac(secret, concertId, body)}`, expiresAt };
}

export type ProofCheck = { ok: true; id: string; expiresAt: number } | { ok: false; reason: string };

/** Checks a proof's challenge (ours, for this concert, not expired) and its work; single use is the caller's. */
export function checkProof(
  secret: string,
  concertId: string,
  proof: QueueProof,
  bits: number,
  now: number,
): ProofCheck {
  const parts = proof.challenge.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'not a challenge of this queue' };
  const [expires, id, tag] = parts as [string, string, string];
  const expected = Buffer.from(mac(secret, concertId, `${expires}.${id}`));
  const given = Buffer.from(tag);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'not a challenge of this queue' };
  }
  const expiresAt = Number.parseInt(expires, 36);
  if (!(expiresAt > now)) return { ok: false, reason: 'the challenge has expired' };
  const digest = createHash('sha256')
    .update(proof.challenge + proof.nonce)
    .digest();
  if (leadingZeroBits(digest) < bits) return { ok: false, reason: `the proof needs ${bits} leading zero bits` };
  return { ok: true, id, expiresAt };
}

function mac(secret: string, concertId: string, body: string): string {
  return createHmac('sha256', secret).update(`${concertId}|${body}`).digest('base64url').slice(0, 22);
}

/** Finds a nonce for `bits` (tests and the load tester; the browser solves in a Web Worker). */
export function solveChallenge(challenge: string, bits: number): string {
  for (let nonce = 0; ; nonce++) {
    const digest = createHash('sha256')
      .update(challenge + nonce)
      .digest();
    if (leadingZeroBits(digest) >= bits) return String(nonce);
  }
}
