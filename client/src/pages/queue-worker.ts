/// <reference lib="webworker" />
import { sha256 } from '@noble/hashes/sha2.js';
import { leadingZeroBits } from '@seatmap/shared/pow';

/**
 * Solves a waiting-room challenge off the main thread: the first decimal nonce such that
 * SHA-256(challenge‖nonce) has `bits` leading zero bits.
 */
self.onmessage = (event: MessageEvent<{ challenge: string; bits: number }>) => {
  const { challenge, bits } = event.data;
  const encoder = new TextEncoder();
  const prefix = encoder.encode(challenge);
  for (let nonce = 0; ; nonce++) {
    const tail = encoder.encode(String(nonce));
    const input = new Uint8Array(prefix.length + tail.length);
    input.set(prefix);
    input.set(tail, prefix.length);
    if (leadingZeroBits(sha256(input)) >= bits) {
      self.postMessage({ nonce: String(nonce) });
      return;
    }
  }
};
