import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/**
 * `bytes` random bytes from the CSPRNG as base64url — what `randomBytes(bytes).toString('base64url')` gives, drawn
 * from a 4 KiB pool refilled by one randomFillSync call, so a hot path (a hold id per hold) does not pay a CSPRNG
 * call and a Buffer per token. Every byte is used once and zeroed once used.
 */
export function randomToken(bytes: number): string {
  if (bytes > POOL_BYTES) throw new RangeError(`randomToken: at most ${POOL_BYTES} bytes`);
  if (offset + bytes > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
    offset = 0;
  }
  const token = pool.toString('base64url', offset, offset + bytes);
  pool.fill(0, offset, offset + bytes);
  offset += bytes;
  return token;
}
