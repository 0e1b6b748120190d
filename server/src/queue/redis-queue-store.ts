import { randomBytes } from 'node:crypto';
import { pingRedis, type RedisClient } from '../holds/redis-client.ts';
import { guarded } from '../holds/redis-errors.ts';
import { type QueueScriptName, queueScripts } from './queue-scripts.ts';
import { type AdmissionState, QueueStateLost, type QueueStore, type TicketView } from './queue-store.ts';

type ScriptCall = (...args: (string | number)[]) => Promise<unknown>;
const commandName = (name: QueueScriptName) => `seatmapQueue_${name}`;

/**
 * The waiting room on Redis, shared by every node: one Lua script per step over the concert's seven keys, which
 * share the hash tag `{q:<concertId>}`. Without `now` the scripts read Redis's own clock, so node clocks never
 * matter; tests inject one so minutes pass without waiting.
 */
export function createRedisQueueStore(options: {
  redis: RedisClient;
  prefix: string;
  now?: () => number;
  ownsClient?: boolean;
}): QueueStore {
  const { redis, prefix, now, ownsClient = false } = options;
  for (const [name, lua] of Object.entries(queueScripts)) {
    redis.defineCommand(commandName(name as QueueScriptName), { lua, numberOfKeys: 7 });
  }
  const commands = redis as unknown as Record<string, ScriptCall>;
  const keys = (concertId: string) => {
    const base = `${prefix}queue:{q:${concertId}}:`;
    return ['meta', 'q', 'admitted', 'adm', 'active', 'log', 'used'].map((k) => base + k);
  };
  const run = async (name: QueueScriptName, concertId: string, ...args: (string | number)[]): Promise<unknown> => {
    try {
      return await guarded(() =>
        commands[commandName(name)]!.call(redis, ...keys(concertId), now ? Math.floor(now()) : '', ...args),
      );
    } catch (err) {
      if (err instanceof Error && err.message.includes('NOT_ARMED')) throw new QueueStateLost(concertId);
      throw err;
    }
  };
  const settingsArgs = (s: { opensAt: number }) => [Math.floor(s.opensAt)];

  return {
    kind: 'redis',

    async arm(concertId, secret) {
      return (await run('arm', concertId, secret)) === 1;
    },

    async secret(concertId) {
      const secret = await guarded(() => redis.hget(keys(concertId)[0]!, 'secret'));
      if (secret === null) throw new QueueStateLost(concertId);
      return secret;
    },

    async join(concertId, settings, member, preQueueKey) {
      return toView(await run('join', concertId, ...settingsArgs(settings), member, Math.floor(preQueueKey)))!;
    },

    async view(concertId, settings, member) {
      return toView(await run('view', concertId, ...settingsArgs(settings), member));
    },

    async leave(concertId, member) {
      const [was, holdId] = (await run('leave', concertId, member)) as string[];
      if (was === 'unknown') return null;
      return { was: was as 'waiting' | 'admitted' | 'closed', holdId: holdId || null };
    },

    async admit(concertId, settings, limit) {
      const seed = randomBytes(20).toString('hex');
      const [admitted, holds] = (await run(
        'admit',
        concertId,
        ...settingsArgs(settings),
        settings.admitPerMinute,
        settings.maxActive,
        settings.sessionMs,
        settings.paused ? 1 : 0,
        limit,
        seed,
      )) as [number, string[]];
      return { admitted: Number(admitted), expiredHolds: holds.map(String) };
    },

    async admission(concertId, token) {
      const reply = (await run('admission', concertId, token)) as string[];
      if (reply.length === 0) return null;
      const [state, expiresAt, holdId, holdUntil, member, at] = reply;
      return {
        state: state as AdmissionState,
        expiresAt: Number(expiresAt),
        holdId: holdId!,
        holdUntil: Number(holdUntil),
        member: member!,
        now: Number(at),
      };
    },

    async setHold(concertId, token, expected, next, holdUntil) {
      return (await run('setHold', concertId, token, expected, next, Math.floor(holdUntil))) === 1;
    },

    async endAdmission(concertId, token, reason) {
      await run('endAdmission', concertId, token, reason);
    },

    async stats(concertId) {
      const [waiting, active, admittedTotal, admittedLastMinute, expiredTotal] = (
        (await run('stats', concertId)) as number[]
      ).map(Number) as [number, number, number, number, number];
      return { waiting, active, admittedTotal, admittedLastMinute, expiredTotal };
    },

    async useChallenge(concertId, challengeId, expiresAt) {
      return (await run('useChallenge', concertId, challengeId, Math.floor(expiresAt))) === 1;
    },

    async ping() {
      await guarded(() => pingRedis(redis));
    },

    async close() {
      if (ownsClient) await redis.quit().catch(() => redis.disconnect());
    },
  };
}

function toView(reply: unknown): TicketView | null {
  const r = reply as (string | number)[];
  const now = Number(r[1]);
  switch (r[0]) {
    case 'waiting': {
      const ahead = Number(r[2]);
      return {
        status: 'waiting',
        now,
        ahead: ahead < 0 ? null : ahead,
        waiting: Number(r[3]),
        active: Number(r[4]),
        admittedLastMinute: Number(r[5]),
      };
    }
    case 'admitted':
      return { status: 'admitted', now, token: String(r[2]), expiresAt: Number(r[3]) };
    case 'closed':
      return { status: 'closed', now };
    default:
      return null;
  }
}
