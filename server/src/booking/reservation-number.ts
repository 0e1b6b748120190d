import { randomInt } from 'node:crypto';

/** No 0/O, 1/I/L: readable over the phone and on a ticket. */
export const RESERVATION_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const RESERVATION_NUMBER_LENGTH = 10;

/** 10 characters from a 31-letter alphabet: log2(31^10) ≈ 49.5 random bits. */
export function newReservationNumber(): string {
  let out = '';
  for (let i = 0; i < RESERVATION_NUMBER_LENGTH; i++)
    out += RESERVATION_ALPHABET[randomInt(RESERVATION_ALPHABET.length)];
  return out;
}

export function isReservationNumber(value: string): boolean {
  return value.length === RESERVATION_NUMBER_LENGTH && [...value].every((c) => RESERVATION_ALPHABET.includes(c));
}
