import { describe, expect, it } from 'vitest';
import {
  isReservationNumber,
  newReservationNumber,
  RESERVATION_ALPHABET,
  RESERVATION_NUMBER_LENGTH,
} from './reservation-number.ts';

describe('reservation numbers', () => {
  it('are 10 characters without ambiguous letters', () => {
    for (let i = 0; i < 1000; i++) {
      const n = newReservationNumber();
      expect(n).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
      expect(isReservationNumber(n)).toBe(true);
    }
    expect(RESERVATION_ALPHABET).not.toMatch(/[01ILO]/);
  });

  it('carry at least 40 random bits', () => {
    expect(RESERVATION_NUMBER_LENGTH * Math.log2(RESERVATION_ALPHABET.length)).toBeGreaterThanOrEqual(40);
  });

  it('do not repeat in 100,000 draws', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(newReservationNumber());
    expect(seen.size).toBe(100_000);
  });
});
