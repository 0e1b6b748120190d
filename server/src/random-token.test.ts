import { describe, expect, it } from 'vitest';
import { randomToken } from './random-token.ts';

describe('randomToken', () => {
  it('gives base64url tokens of the asked size, never the same twice across pool refills', () => {
    const seen = new Set<string>();
    // 24-byte tokens: 171 per 4 KiB pool, so this crosses a dozen refills.
    for (let i = 0; i < 2000; i++) {
      const token = randomToken(24);
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      seen.add(token);
    }
    expect(seen.size).toBe(2000);
  });

  it('spreads its bits: every base64url character shows up', () => {
    const chars = new Set(Array.from({ length: 200 }, () => randomToken(24)).join(''));
    expect(chars.size).toBe(64);
  });

  it('refuses more than a pool', () => {
    expect(() => randomToken(5000)).toThrow(RangeError);
  });
});
