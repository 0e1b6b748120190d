import { describe, expect, it } from 'vitest';
import { keySlot } from './key-slot.ts';

describe('keySlot', () => {
  it('computes the Redis Cluster slot, from the hash tag when there is one', () => {
    // Values from the Redis Cluster specification and `CLUSTER KEYSLOT`.
    expect(keySlot('123456789')).toBe(12739);
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
    expect(keySlot('seatmap:{s-1}:version')).toBe(keySlot('seatmap:schedule:{s-1}:events'));
    // An empty tag is no tag: the whole name counts.
    expect(keySlot('foo{}{bar}')).not.toBe(keySlot('bar'));
  });
});
