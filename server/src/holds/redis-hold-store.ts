import type { SeatStatus } from '@seatmap/shared';
import type { Redis } from 'ioredis';
import type { HoldOutcome, HoldRecord, HoldStore, ReservedSeatSource, SeatEvent } from './hold-store.ts';
import { createRecovery, isNotLoaded, noReservedSeats, type RecoveryLog } from './recovery.ts';
import { guarded } from './redis-errors.ts';
import { type HoldScriptName, holdScripts, requireLoaded, versionedScripts } from './scripts.ts';

export interface RedisHoldStoreOptions {
  redis: Redis;
  /** Prepended to every key, e.g. `seatmap:`. */
  prefix: string;
  /**
   * The database's reserved seats: the markers are rebuilt from them, expired seats checked against them. The app
   * always passes them; without, the store knows no reserved seats but its own.
   */
  reservedSeats?: ReservedSeatSource;
  /** The highest version this node has seen per performance (see recovery.ts); none by default. */
  versionFloors?: () => Map<string, number>;
  /**
   * Seat locks outlive their hold by this much, so the sweeper (which also broadcasts) normally frees seats,
   * while a crash of every node still cannot leave a seat locked forever.
   */
  lockGraceMs?: number;
  /** Whether `close()` quits the connection (default true). */
  ownsClient?: boolean;
  log?: RecoveryLog;
}

type Reply = unknown[];
type ScriptCall = (...args: (string | number)[]) => Promise<unknown>;

const commandName = (name: HoldScriptName) => `seatmapHold_${name}`;

/**
 * Hold store on Redis: one Lua script per change, shared by every node; the script that moves a performance's
 * version also publishes its event (seat-event.ts). Scripts that read or move a version refuse while the reserved
 * markers are missing; the store then rebuilds them from the database and retries once (recovery.ts).
 */
export function createRedisHoldStore(options: RedisHoldStoreOptions): HoldStore {
  const { redis, prefix, reservedSeats = noReservedSeats, lockGraceMs = 30_000, ownsClient = true } = options;
  for (const [name, lua] of Object.entries(holdScripts) as [HoldScriptName, string][]) {
    redis.defineCommand(commandName(name), {
      lua: versionedScripts.includes(name) ? requireLoaded(lua) : lua,
      numberOfKeys: 0,
    });
  }
  const commands = redis as unknown as Record<string, ScriptCall>;
  const call = (name: HoldScriptName, args: (string | number)[]) =>
    guarded(() => commands[commandName(name)]!.call(redis, prefix, ...args)) as Promise<Reply>;
  const recovery = createRecovery({
    source: reservedSeats,
    versionFloors: options.versionFloors ?? (() => new Map()),
    log: options.log,
    async load(reserved, floors, generation) {
      await call('loadReserved', [json(reserved), json(floors), generation]);
    },
    async raise(known, floors) {
      return String(await call('raiseFloors', [known, json(floors)]));
    },
  });
  const run = async (name: HoldScriptName, ...args: (string | number)[]) => {
    try {
      return await call(name, args);
    } catch (err) {
      if (!isNotLoaded(err)) throw err;
      await recovery.reload();
      return call(name, args);
    }
  };

  return {
    kind: 'redis',

    async create({ holdId, scheduleId, seatIds, ttlMs, holder, orphanGuard = [] }) {
      const seats = unique(seatIds);
      const reply = await run(
        'create',
        holdId,
        scheduleId,
        Math.ceil(ttlMs),
        lockGraceMs,
        holder?.key ?? '',
        holder?.maxSeats ?? 0,
        seats.length,
        ...seats,
        ...orphanGuard.flatMap((g) => [g.seatId, g.left ?? '', g.right ?? '']),
      );
      if (reply[0] === 'exists') throw new Error('hold id already in use');
      if (reply[0] === 'unavailable') return unavailableOutcome(reply[1]);
      if (reply[0] === 'orphan')
        return { ok: false, reason: 'orphan', strandedSeatIds: (reply[1] as string[]).map(String) };
      if (reply[0] === 'holder_limit') return holderLimitOutcome(reply);
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
      const reply = await run(
        'modify',
        holdId,
        lockGraceMs,
        change.maxSeats ?? 0,
        change.maxHeldSeats ?? 0,
        add.length,
        ...add,
        ...remove,
      );
      if (reply[0] === 'not_found') return { ok: false, reason: 'not_found' };
      if (reply[0] === 'too_many') return { ok: false, reason: 'too_many', seats: Number(reply[1]) };
      if (reply[0] === 'holder_limit') return holderLimitOutcome(reply);
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
      return Number(await run('version', scheduleId));
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
      const [generation, released, claimed] = (await run('sweep', limit)) as [string, Reply, string[]];
      await recovery.check(String(generation));
      const events = released.map(toEvent);
      if (claimed.length > 0) {
        const holdIds = claimed.filter((_, i) => i % 2 === 0);
        const seats = claimed.filter((_, i) => i % 2 === 1).flatMap((csv) => csv.split(','));
        // The database first: a seat it has reserved (its booking's node died before consuming the hold) must not
        // be announced free. A failed check frees the seats anyway; a later booking attempt repairs the marker.
        const reserved = await reservedSeats.among(seats).catch((err: unknown) => {
          options.log?.warn({ err }, 'expired seats not checked against the database');
          return [];
        });
        events.push(...(await run('sweepClaimed', holdIds.length, ...holdIds, ...reserved)).map(toEvent));
      }
      return events.filter((event): event is SeatEvent => event !== null);
    },

    async ensureLoaded() {
      const generation = await guarded(() => redis.get(`${prefix}reserved:loaded`));
      if (generation === null) await recovery.reload();
      else await recovery.check(generation);
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

function holderLimitOutcome(reply: Reply): HoldOutcome {
  return { ok: false, reason: 'holder_limit', held: Number(reply[1]), retryAfterMs: Math.max(1, Number(reply[2])) };
}

function toHold(holdId: string, reply: Reply): HoldRecord | null {
  if (reply.length === 0) return null;
  const [scheduleId, expiresAt, ...seatIds] = reply;
  return { holdId, scheduleId: String(scheduleId), expiresAt: Number(expiresAt), seatIds: seatIds.map(String) };
}

const json = (map: Map<string, unknown>) => JSON.stringify(Object.fromEntries(map));

/** `{}` or `{scheduleId, fromVersion, version, seat, status, …}` from a script → event or null. */
export function toEvent(reply: unknown): SeatEvent | null {
  if (!Array.isArray(reply) || reply.length === 0) return null;
  const [scheduleId, fromVersion, version, ...flat] = reply;
  const changes: SeatEvent['changes'] = [];
  for (let i = 0; i < flat.length; i += 2) {
    changes.push({ seatId: String(flat[i]), status: String(flat[i + 1]) as SeatStatus });
  }
  return { scheduleId: String(scheduleId), fromVersion: Number(fromVersion), version: Number(version), changes };
}
