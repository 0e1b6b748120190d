import type { SeatStatus, SeatsChanged } from '@seatmap/shared';
import type { Redis } from 'ioredis';
import type { HoldOutcome, HoldRecord, HoldStore } from './hold-store.ts';
import { guarded } from './redis-errors.ts';
import { type HoldScriptName, holdScripts, requireLoaded, versionedScripts } from './scripts.ts';

export interface RedisHoldStoreOptions {
  redis: Redis;
  /** Prepended to every key, e.g. `seatmap:`. */
  prefix: string;
  /**
   * Seat locks outlive their hold by this much, so the sweeper (which also broadcasts) normally frees seats,
   * while a crash of every node still cannot leave a seat locked forever.
   */
  lockGraceMs?: number;
  /** Whether `close()` quits the connection (default true). */
  ownsClient?: boolean;
  /**
   * Called when a change or read finds the reserved markers missing (Redis lost its data); it must reload them
   * (`loadReserved`), after which the call is retried once. Without it, scripts run on an unloaded store as is.
   */
  onNotLoaded?: () => Promise<void>;
}

type Reply = unknown[];
type ScriptCall = (...args: (string | number)[]) => Promise<unknown>;

const commandName = (name: HoldScriptName) => `seatmapHold_${name}`;
const loadedCommandName = (name: HoldScriptName) => `seatmapHoldLoaded_${name}`;

/** Hold store on Redis: one Lua script per change, shared by every node. */
export function createRedisHoldStore(options: RedisHoldStoreOptions): HoldStore {
  const { redis, prefix, lockGraceMs = 30_000, ownsClient = true } = options;
  for (const [name, lua] of Object.entries(holdScripts)) {
    redis.defineCommand(commandName(name as HoldScriptName), { lua, numberOfKeys: 0 });
  }
  const { onNotLoaded } = options;
  if (onNotLoaded) {
    for (const name of versionedScripts) {
      redis.defineCommand(loadedCommandName(name), { lua: requireLoaded(holdScripts[name]), numberOfKeys: 0 });
    }
  }
  const commands = redis as unknown as Record<string, ScriptCall>;
  const call = (name: HoldScriptName, args: (string | number)[]) => {
    const command = onNotLoaded && versionedScripts.includes(name) ? loadedCommandName(name) : commandName(name);
    return guarded(() => commands[command]!.call(redis, prefix, ...args)) as Promise<Reply>;
  };
  const run = async (name: HoldScriptName, ...args: (string | number)[]) => {
    try {
      return await call(name, args);
    } catch (err) {
      if (!onNotLoaded || !(err instanceof Error) || !err.message.startsWith('NOT_LOADED')) throw err;
      await onNotLoaded();
      return call(name, args);
    }
  };

  return {
    kind: 'redis',

    async create({ holdId, scheduleId, seatIds, ttlMs }) {
      const seats = unique(seatIds);
      const reply = await run('create', holdId, scheduleId, Math.ceil(ttlMs), lockGraceMs, ...seats);
      if (reply[0] === 'exists') throw new Error('hold id already in use');
      if (reply[0] === 'unavailable') return unavailableOutcome(reply[1]);
      const hold = { holdId, scheduleId, seatIds: seats, expiresAt: Number(reply[1]) };
      return { ok: true, hold, event: toEvent(reply[2]) };
    },

    async get(holdId) {
      return toHold(holdId, await run('get', holdId));
    },

    async modify(holdId, change) {
      const both = new Set(change.add.filter((seat) => change.remove.includes(seat)));
      const add = unique(change.add).filter((seat) => !both.has(seat));
      const remove = unique(change.remove).filter((seat) => !both.has(seat));
      const reply = await run('modify', holdId, lockGraceMs, change.maxSeats ?? 0, add.length, ...add, ...remove);
      if (reply[0] === 'not_found') return { ok: false, reason: 'not_found' };
      if (reply[0] === 'too_many') return { ok: false, reason: 'too_many', seats: Number(reply[1]) };
      if (reply[0] === 'unavailable') return unavailableOutcome(reply[1]);
      const hold: HoldRecord = {
        holdId,
        scheduleId: String(reply[1]),
        expiresAt: Number(reply[2]),
        seatIds: (reply[3] as string[]).map(String),
      };
      return { ok: true, hold, event: toEvent(reply[4]) };
    },

    async release(holdId) {
      return toEvent(await run('release', holdId));
    },

    async claim(holdId, leaseMs) {
      return toHold(holdId, await run('claim', holdId, Math.ceil(leaseMs), lockGraceMs));
    },

    async consume(holdId, scheduleId, seatIds) {
      const reply = await run('consume', holdId, scheduleId, ...unique(seatIds));
      if (reply[0] === 'mismatch') throw new Error(`hold ${holdId} does not belong to schedule ${scheduleId}`);
      return toEvent(reply);
    },

    async markReserved(scheduleId, seatIds) {
      return toEvent(await run('markReserved', scheduleId, ...unique(seatIds)));
    },

    async markAvailable(scheduleId, seatIds) {
      return toEvent(await run('markAvailable', scheduleId, ...unique(seatIds)));
    },

    async version(scheduleId) {
      // Same key as `version_key` in lua-prelude.ts.
      return Number((await guarded(() => redis.get(`${prefix}schedule:${scheduleId}:version`))) ?? 0);
    },

    async counts(scheduleId) {
      const [held, reserved] = await run('counts', scheduleId);
      return { held: Number(held), reserved: Number(reserved) };
    },

    async states(scheduleId) {
      const [version, held, reserved] = await run('states', scheduleId);
      return { version: Number(version), held: held as string[], reserved: reserved as string[] };
    },

    async unavailable(scheduleId, seatIds) {
      if (seatIds.length === 0) return new Set();
      return new Set((await run('unavailable', scheduleId, ...unique(seatIds))) as string[]);
    },

    async sweepExpired(limit = 500) {
      const reply = await run('sweep', limit);
      return reply.map(toEvent).filter((event): event is SeatsChanged => event !== null);
    },

    async needsReload() {
      return (await guarded(() => redis.exists(`${prefix}reserved:loaded`))) === 0;
    },

    async loadReserved(reserved, versionFloors = new Map()) {
      await run(
        'loadReserved',
        JSON.stringify(Object.fromEntries(reserved)),
        JSON.stringify(Object.fromEntries(versionFloors)),
      );
    },

    async ping() {
      await guarded(() => redis.ping());
    },

    async close() {
      if (ownsClient) await redis.quit().catch(() => redis.disconnect());
    },
  };
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

function unavailableOutcome(seats: unknown): HoldOutcome {
  return { ok: false, reason: 'unavailable', unavailableSeatIds: (seats as string[]).map(String) };
}

function toHold(holdId: string, reply: Reply): HoldRecord | null {
  if (reply.length === 0) return null;
  const [scheduleId, expiresAt, ...seatIds] = reply;
  return { holdId, scheduleId: String(scheduleId), expiresAt: Number(expiresAt), seatIds: seatIds.map(String) };
}

/** `{}` or `{scheduleId, fromVersion, version, seat, status, …}` from a script → event or null. */
export function toEvent(reply: unknown): SeatsChanged | null {
  if (!Array.isArray(reply) || reply.length === 0) return null;
  const [scheduleId, fromVersion, version, ...flat] = reply;
  const changes: SeatsChanged['changes'] = [];
  for (let i = 0; i < flat.length; i += 2) {
    changes.push({ seatId: String(flat[i]), status: String(flat[i + 1]) as SeatStatus });
  }
  return { scheduleId: String(scheduleId), fromVersion: Number(fromVersion), version: Number(version), changes };
}
