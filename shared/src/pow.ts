/**
 * How many leading zero bits a SHA-256 digest has: the waiting room's proof-of-work measure, shared by the server's
 * check and the browser's solver (its own entry point, so the Web Worker does not load the zod schemas).
 */
export function leadingZeroBits(digest: Uint8Array): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}
