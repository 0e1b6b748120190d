import { describe, expect, it } from 'vitest';
import { formatPhone, koreanMobileSchema, normalizePhone } from './common.ts';

describe('phone numbers', () => {
  it('normalise to digits so every spelling matches', () => {
    expect(normalizePhone('010-1234-5678')).toBe('01012345678');
    expect(normalizePhone('010 1234 5678')).toBe('01012345678');
    expect(normalizePhone('01012345678')).toBe('01012345678');
  });

  it('accept Korean mobile formats and refuse others', () => {
    for (const ok of ['010-1234-5678', '01012345678', '011-123-4567', '016 1234 5678']) {
      expect(koreanMobileSchema.safeParse(ok).success, ok).toBe(true);
    }
    for (const bad of ['02-123-4567', '010-12345-678', '+82 10 1234 5678', '010-ABCD-5678', '', '0101234567890']) {
      expect(koreanMobileSchema.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('format for display', () => {
    expect(formatPhone('01012345678')).toBe('010-1234-5678');
    expect(formatPhone('0111234567')).toBe('011-123-4567');
  });
});
