import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../holds/redis-client.ts';

/** A slot was taken (`ticket` gives it back), or the window is full until `retryAfterMs` from now. */
export type WindowAnswer = { ok: true; ticket: string } | { ok: false; retryAfterMs: number };

/**
 * A sliding window per key: at most `max` entries within the last `windowMs` (a log of timestamps, not fixed
 * buckets, so no burst of 2 × max fits across a bucket edge). Shared by every node when Redis backs it.
 */
export interface RateWindow {
  /** Takes a slot unless the window is full. Taking before acting makes the limit hold under concurrency. */
  take(key: string): Promise<WindowAnswer>;
  /** Whether a slot is free, without taking one. */
  peek(key: string): Promise<WindowAnswer>;
  /** Records an entry even when full (a failure already happened). */
  hit(key: string): Promise<void>;
  /** Gives a taken slot back (the attempt turned out not to count). */
  giveBack(key: string, ticket: string): Promise<void>;
}

export interface WindowLimit {
  max: number;
  windowMs: number;
}

/** Makes the windows of one app: in Redis (every node counts together) or in this process (embedded mode). */
export type RateWindows = (name: string, limit: WindowLimit) => RateWindow;

type Mode = 'take' | 'peek' | 'hit';

// KEYS[1] the window; ARGV now, windowMs, max, ticket, mode. Returns {1, 0} or {0, retryAfterMs}.
const windowScript = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local max = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if ARGV[5] ~= 'hit' and count >= max then
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return {0, math.max(1, tonumber(oldest[2]) + window - now)}
end
if ARGV[5] == 'peek' then return {1, 0} end
redis.call('ZADD', key, now, ARGV[4])
if count + 1 > max then redis.call('ZREMRANGEBYRANK', key, 0, count - max) end
redis.call('PEXPIRE', key, window)
return {1, 0}
`;

type WindowCommand = (
  key: string,
  now: number,
  windowMs: number,
  max: number,
  ticket: string,
  mode: Mode,
) => Promise<[number, number]>;

const newTicket = () => randomBytes(8).toString('base64url');

export function redisRateWindows(redis: RedisClient, prefix: string, now: () => Date): RateWindows {
  if (!('rateWindow' in redis)) redis.defineCommand('rateWindow', { numberOfKeys: 1, lua: windowScript });
  const command = (redis as unknown as { rateWindow: WindowCommand }).rateWindow.bind(redis);
  return (name, { max, windowMs }) => {
    const keyOf = (key: string) => `${prefix}window:${name}:${key}`;
    const run = async (key: string, mode: Mode): Promise<WindowAnswer> => {
      const ticket = newTicket();
      const [ok, retryAfterMs] = await command(keyOf(key), now().getTime(), windowMs, max, ticket, mode);
      return ok === 1 ? { ok: true, ticket } : { ok: false, retryAfterMs };
    };
    return {
      take: (key) => run(key, 'take'),
      peek: (key) => run(key, 'peek'),
      hit: async (key) => {
        await run(key, 'hit');
      },
      giveBack: async (key, ticket) => {
        await redis.zrem(keyOf(key), ticket);
      },
    };
  };
}

/** Keys beyond this many trigger a sweep of windows whose entries have all aged out. */
const MEMORY_SWEEP_AT = 10_000;

export function memoryRateWindows(now: () => Date): RateWindows {
  const byName = new Map<string, Map<string, { at: number; ticket: string }[]>>();
  return (name, { max, windowMs }) => {
    // Windows of one name share their entries, as the same Redis keys would.
    const entries = byName.get(name) ?? new Map<string, { at: number; ticket: string }[]>();
    byName.set(name, entries);
    const live = (key: string, at: number) => {
      const list = (entries.get(key) ?? []).filter((e) => e.at > at - windowMs);
      if (list.length === 0) entries.delete(key);
      else entries.set(key, list);
      return list;
    };
    const sweep = (at: number) => {
      if (entries.size < MEMORY_SWEEP_AT) return;
      for (const key of [...entries.keys()]) live(key, at);
    };
    const run = (key: string, mode: Mode): WindowAnswer => {
      const at = now().getTime();
      const list = live(key, at);
      if (mode !== 'hit' && list.length >= max) {
        return { ok: false, retryAfterMs: Math.max(1, list[0]!.at + windowMs - at) };
      }
      const ticket = newTicket();
      if (mode === 'peek') return { ok: true, ticket };
      sweep(at);
      entries.set(key, [...list, { at, ticket }].slice(-max));
      return { ok: true, ticket };
    };
    return {
      take: async (key) => run(key, 'take'),
      peek: async (key) => run(key, 'peek'),
      hit: async (key) => {
        run(key, 'hit');
      },
      giveBack: async (key, ticket) => {
        const list = entries.get(key)?.filter((e) => e.ticket !== ticket);
        if (list?.length) entries.set(key, list);
        else entries.delete(key);
      },
    };
  };
}
