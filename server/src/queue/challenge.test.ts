import { createHash } from 'node:crypto';
import { leadingZeroBits } from '@seatmap/shared';
import { describe, expect, it } from 'vitest';
import { CHALLENGE_TTL_MS, checkProof, issueChallenge, solveChallenge } from './challenge.ts';

const concert = '00000000-0000-4000-8000-000000000001';

describe('proof-of-work challenge', () => {
  it('counts leading zero bits', () => {
    expect(leadingZeroBits(new Uint8Array([0, 0, 0x80]))).toBe(16);
    expect(leadingZeroBits(new Uint8Array([0x0f, 0xff]))).toBe(4);
    expect(leadingZeroBits(new Uint8Array([0, 0]))).toBe(16);
  });

  it('accepts a solved challenge of this queue before it expires, and nothing else', () => {
    const now = 1_000_000;
    const { challenge, expiresAt } = issueChallenge('secret', concert, now);
    expect(expiresAt).toBe(now + CHALLENGE_TTL_MS);
    const nonce = solveChallenge(challenge, 12);
    expect(
      leadingZeroBits(
        createHash('sha256')
          .update(challenge + nonce)
          .digest(),
      ),
    ).toBeGreaterThanOrEqual(12);
    const ok = checkProof('secret', concert, { challenge, nonce }, 12, now + 1000);
    expect(ok).toMatchObject({ ok: true, expiresAt });
    // Wrong work, another queue's secret or concert, a forged or expired challenge: refused.
    let wrong = 0;
    while (leadingZeroBits(createHash('sha256').update(`${challenge}x${wrong}`).digest()) >= 12) wrong++;
    expect(checkProof('secret', concert, { challenge, nonce: `x${wrong}` }, 12, now).ok).toBe(false);
    expect(checkProof('other', concert, { challenge, nonce }, 12, now).ok).toBe(false);
    expect(checkProof('secret', '00000000-0000-4000-8000-000000000002', { challenge, nonce }, 12, now).ok).toBe(false);
    expect(checkProof('secret', concert, { challenge: `${challenge}x`, nonce }, 12, now).ok).toBe(false);
    expect(checkProof('secret', concert, { challenge: 'a.b', nonce }, 12, now).ok).toBe(false);
    expect(checkProof('secret', concert, { challenge, nonce }, 12, expiresAt).ok).toBe(false);
  });
});
