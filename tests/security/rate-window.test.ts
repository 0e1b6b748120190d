import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryRateWindows, type RateWindows, redisRateWindows } from '../../server/src/limits/rate-window.ts';
import { realServices, testRedisPrefix, testRedisUrl } from '../support/services.ts';

const redis = (await realServices()) ? new Redis(testRedisUrl) : null;
afterAll(() => redis?.quit());

let clock = 1_700_000_000_000;
const now = () => new Date(clock);
const kinds: [string, () => RateWindows][] = [['memory', () => memoryRateWindows(now)]];
if (redis) kinds.push(['redis', () => redisRateWindows(redis, testRedisPrefix(), now)]);

/** The same behaviour from the in-process windows and the Redis ones (which every node shares). */
describe.each(kinds)('rate windows (%s)', (_kind, make) => {
  const limit = { max: 3, windowMs: 60_000 };

  it('takes up to max slots in the window, then says when the oldest leaves it', async () => {
    const w = make()('t', limit);
    for (let i = 0; i < 3; i++) {
      expect((await w.take('a')).ok).toBe(true);
      clock += 1000;
    }
    const full = await w.take('a');
    expect(full).toEqual({ ok: false, retryAfterMs: 57_000 });
    expect((await w.peek('a')).ok).toBe(false);
    expect((await w.take('b')).ok).toBe(true);
    // Sliding: after the first entry ages out exactly one slot is free again.
    clock += 57_000;
    expect((await w.take('a')).ok).toBe(true);
    expect((await w.take('a')).ok).toBe(false);
  });

  it('gives a slot back, and windows of one name share their entries', async () => {
    const windows = make();
    const first = windows('shared', limit);
    const second = windows('shared', limit);
    const answers = [await first.take('k'), await second.take('k'), await first.take('k')];
    expect(answers.every((a) => a.ok)).toBe(true);
    expect((await second.take('k')).ok).toBe(false);
    const ticket = answers[1]!.ok ? answers[1]!.ticket : '';
    await first.giveBack('k', ticket);
    expect((await second.peek('k')).ok).toBe(true);
    // Another name is another window.
    expect((await windows('other', limit).take('k')).ok).toBe(true);
  });

  it('records hits even when full, keeping the newest max', async () => {
    const w = make()('h', limit);
    for (let i = 0; i < 5; i++) {
      await w.hit('x');
      clock += 1000;
    }
    const answer = await w.peek('x');
    expect(answer.ok).toBe(false);
    // Kept: the last three hits. The oldest of them came 3 s ago, so it leaves the window 57 s from now.
    expect(answer.ok ? 0 : answer.retryAfterMs).toBe(57_000);
  });
});
