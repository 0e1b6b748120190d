import type { SeatStatus } from '@seatmap/shared';
import { holdSchedule } from './hold-id.ts';
import type { HoldOutcome, HoldRecord, HoldStore, ReservedSeatSource, SeatEvent } from './hold-store.ts';
import { createRecovery, isNotLoaded, noReservedSeats, type RecoveryLog } from './recovery.ts';
import { pingRedis, type RedisClient } from './redis-client.ts';
import { guarded } from './redis-errors.ts';
import { SWEEP_BUCKETS, scheduleKeys, sweepBucketKey, sweepBucketOf } from './schedule-keys.ts';
import { type HoldScriptName, holdScripts, requireLoaded, versionedScripts } from './scripts.ts';

export interface RedisHoldStoreOptions {
  /** One Redis or a Redis Cluster (the same scripts run on both). */
  redis: RedisClient;
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
/** Where the sweep directory lists a performance: bucket and score (usually one bucket). */
type Listing = { bucket: number; score: string }[];
type ScriptCall = (...args: (string | number)[]) => Promise<unknown>;

const commandName = (name: HoldScriptName) => `seatmapHold_${name}`;

/** KEYS[1] a sweep bucket; ARGV scheduleId, the score read → 1 when removed (nobody registered since). */
const leaveDirectory = `
if redis.call('ZSCORE', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('ZREM', KEYS[1], ARGV[1]) end
return 0
`;

/**
 * Hold store on Redis: one Lua script per change, each on one performance's keys (hash tag `{scheduleId}`, so a
 * Redis Cluster runs it in that performance's slot); the script that moves a performance's version also publishes
 * its event (seat-event.ts). Hold ids carry their performance (hold-id.ts), so a call by hold id alone goes
 * straight to that slot. Scripts that read or move a version refuse while the performance's reserved markers are
 * missing; the store then loads them from the database and retries once (recovery.ts).
 *
 * Sweeping: the expiry index is per performance, and the sweep directory (schedule-keys.ts) lists the performances
 * that may have holds. A performance is registered (ZINCRBY: the score changes every time) with each hold it
 * creates (sent beside the create script); the sweeper removes it only when its expiry index is empty and its score is still the one it read, so a
 * registration racing the removal always wins.
 */
export function createRedisHoldStore(options: RedisHoldStoreOptions): HoldStore {
  const { redis, prefix, reservedSeats = noReservedSeats, lockGraceMs = 30_000, ownsClient = true } = options;
  for (const [name, lua] of Object.entries(holdScripts) as [HoldScriptName, string][]) {
    redis.defineCommand(commandName(name), {
      lua: versionedScripts.includes(name) ? requireLoaded(lua) : lua,
      numberOfKeys: 5,
    });
  }
  redis.defineCommand('seatmapHold_leaveDirectory', { lua: leaveDirectory, numberOfKeys: 1 });
  const commands = redis as unknown as Record<string, ScriptCall>;
  const versionFloors = options.versionFloors ?? (() => new Map<string, number>());
  const call = (scheduleId: string, name: HoldScriptName, args: (string | number)[]) => {
    const { base, keys, channel } = scheduleKeys(prefix, scheduleId);
    return guarded(() =>
      commands[commandName(name)]!.call(redis, ...keys, base, channel, scheduleId, ...args),
    ) as Promise<Reply>;
  };
  const recovery = createRecovery({
    source: reservedSeats,
    versionFloors,
    log: options.log,
    async load(scheduleId, reserved, floor, generation) {
      await call(scheduleId, 'loadReserved', [JSON.stringify(reserved), floor, generation]);
    },
    async raise(scheduleId, known, floor) {
      return String(await call(scheduleId, 'raiseFloors', [known, floor]));
    },
  });
  const run = async (scheduleId: string, name: HoldScriptName, ...args: (string | number)[]) => {
    try {
      return await call(scheduleId, name, args);
    } catch (err) {
      if (!isNotLoaded(err)) throw err;
      await recovery.reload(scheduleId);
      return call(scheduleId, name, args);
    }
  };
  /** A hold-id call: null when the id names no performance (then no hold of ours has it). */
  const byHold = async (holdId: string, name: HoldScriptName, ...args: (string | number)[]) => {
    const scheduleId = holdSchedule(holdId);
    return scheduleId === null ? null : run(scheduleId, name, holdId, ...args);
  };

  const directory = {
    /**
     * Lists a performance before a hold is made there: in its own bucket, or — that bucket's shard being down — in
     * the next one that answers (the sweeper reads every bucket), so a lost shard does not refuse holds elsewhere.
     */
    async register(scheduleId: string) {
      const first = sweepBucketOf(scheduleId);
      let failure: unknown;
      for (let i = 0; i < SWEEP_BUCKETS; i++) {
        const bucket = (first + i) % SWEEP_BUCKETS;
        try {
          return await guarded(() => redis.zincrby(sweepBucketKey(prefix, bucket), 1, scheduleId));
        } catch (err) {
          failure ??= err;
        }
      }
      throw failure;
    },
    /** The listed performances with their scores; buckets on a shard that is down are skipped (and reported). */
    async list(): Promise<{ listed: Map<string, Listing>; failure: unknown }> {
      const buckets = await Promise.allSettled(
        Array.from({ length: SWEEP_BUCKETS }, (_, i) =>
          guarded(() => redis.zrange(sweepBucketKey(prefix, i), '0', '-1', 'WITHSCORES')),
        ),
      );
      const listed = new Map<string, Listing>();
      let failure: unknown = null;
      buckets.forEach((result, bucket) => {
        if (result.status === 'rejected') {
          failure ??= result.reason;
          return;
        }
        for (let i = 0; i < result.value.length; i += 2) {
          const id = result.value[i]!;
          listed.set(id, [...(listed.get(id) ?? []), { bucket, score: result.value[i + 1]! }]);
        }
      });
      return { listed, failure };
    },
    leave(scheduleId: string, listing: Listing) {
      return Promise.all(
        listing.map(({ bucket, score }) =>
          guarded(() =>
            commands.seatmapHold_leaveDirectory!.call(redis, sweepBucketKey(prefix, bucket), scheduleId, score),
          ),
        ),
      );
    },
  };

  /** One performance's sweep: its due holds freed (claimed ones checked against the database first). */
  const sweepSchedule = async (scheduleId: string, limit: number, listing: Listing | undefined) => {
    const [generation, released, claimed, left] = (await run(scheduleId, 'sweep', limit)) as [
      string | null,
      Reply,
      string[],
      number,
    ];
    await recovery.check(scheduleId, generation);
    const events = [toEvent(released)];
    if (claimed.length > 0) {
      const holdIds = claimed.filter((_, i) => i % 2 === 0);
      const seats = claimed.filter((_, i) => i % 2 === 1).flatMap((csv) => csv.split(','));
      // The database first: a seat it has reserved (its booking's node died before consuming the hold) must not
      // be announced free. A failed check frees the seats anyway; a later booking attempt repairs the marker.
      const reserved = await reservedSeats.among(seats).catch((err: unknown) => {
        options.log?.warn({ err }, 'expired seats not checked against the database');
        return [];
      });
      events.push(toEvent(await run(scheduleId, 'sweepClaimed', holdIds.length, ...holdIds, ...reserved)));
    } else if (Number(left) === 0 && listing) {
      await directory.leave(scheduleId, listing);
    } else if (Number(left) > 0 && !listing) {
      // Holds but no listing (the directory's shard lost it): listed again, so they are swept after this node too.
      await directory.register(scheduleId);
    }
    return events;
  };

  return {
    kind: 'redis',

    async create({ holdId, scheduleId, seatIds, ttlMs, holder, orphanGuard = [] }) {
      if (holdSchedule(holdId) !== scheduleId) throw new Error(`hold id not made for schedule ${scheduleId}`);
      const seats = unique(seatIds);
      // The registration goes out beside the script, in the same tick: auto-pipelined into one write (and on one
      // Redis ahead of it, in one round trip); on a cluster the two slots answer in parallel. A sweep that removes
      // the listing between the two is undone by the ZINCRBY, which re-adds the performance.
      const [, reply] = await Promise.all([
        directory.register(scheduleId),
        run(
          scheduleId,
          'create',
          holdId,
          Math.ceil(ttlMs),
          lockGraceMs,
          holder?.key ?? '',
          holder?.maxSeats ?? 0,
          seats.length,
          ...seats,
          ...orphanGuard.flatMap((g) => [g.seatId, g.left ?? '', g.right ?? '']),
        ),
      ]);
      if (reply[0] === 'exists') throw new Error('hold id already in use');
      if (reply[0] === 'unavailable') return unavailableOutcome(reply[1]);
      if (reply[0] === 'orphan')
        return { ok: false, reason: 'orphan', strandedSeatIds: (reply[1] as string[]).map(String) };
      if (reply[0] === 'holder_limit') return holderLimitOutcome(reply);
      const hold = { holdId, scheduleId, seatIds: seats, expiresAt: Number(reply[1]) };
      return { ok: true, hold, event: toEvent(reply[2]) };
    },

    async get(holdId) {
      return toHold(holdId, await byHold(holdId, 'get'));
    },

    async modify(holdId, change) {
      const both = new Set(change.add.filter((seat) => change.remove.includes(seat)));
      const add = unique(change.add).filter((seat) => !both.has(seat));
      const remove = unique(change.remove).filter((seat) => !both.has(seat));
      const reply = await byHold(
        holdId,
        'modify',
        lockGraceMs,
        change.maxSeats ?? 0,
        change.maxHeldSeats ?? 0,
        add.length,
        ...add,
        ...remove,
      );
      if (reply === null || reply[0] === 'not_found') return { ok: false, reason: 'not_found' };
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
      return toEvent(await byHold(holdId, 'release'));
    },

    async claim(holdId, leaseMs) {
      return toHold(holdId, await byHold(holdId, 'claim', Math.ceil(leaseMs), lockGraceMs));
    },

    async consume(holdId, scheduleId, seatIds) {
      const of = holdSchedule(holdId);
      if (of !== null && of !== scheduleId) throw new Error(`hold ${holdId} does not belong to schedule ${scheduleId}`);
      return toEvent(await run(scheduleId, 'consume', holdId, ...unique(seatIds)));
    },

    async markReserved(scheduleId, seatIds) {
      return toEvent(await run(scheduleId, 'markReserved', ...unique(seatIds)));
    },

    async markAvailable(scheduleId, seatIds) {
      return toEvent(await run(scheduleId, 'markAvailable', ...unique(seatIds)));
    },

    async version(scheduleId) {
      return Number(await run(scheduleId, 'version'));
    },

    async counts(scheduleId) {
      const [held, reserved] = await run(scheduleId, 'counts');
      return { held: Number(held), reserved: Number(reserved) };
    },

    async states(scheduleId) {
      const [version, held, reserved] = await run(scheduleId, 'states');
      return { version: Number(version), held: held as string[], reserved: reserved as string[] };
    },

    async unavailable(scheduleId, seatIds) {
      if (seatIds.length === 0) return new Set();
      return new Set((await run(scheduleId, 'unavailable', ...unique(seatIds))) as string[]);
    },

    async sweepExpired(limit = 500) {
      // The listed performances, and those this node watches: a rebuild of theirs by another node (its generation)
      // is noticed here even while they have no holds.
      const { listed, failure } = await directory.list();
      const schedules = new Set([...listed.keys(), ...versionFloors().keys()]);
      // Every performance is swept even when some shard is down (its events are already published either way).
      const swept = await Promise.allSettled([...schedules].map((id) => sweepSchedule(id, limit, listed.get(id))));
      const failed = swept.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
      if (failure) throw failure;
      return swept
        .flatMap((result) => (result.status === 'fulfilled' ? result.value : []))
        .filter((event): event is SeatEvent => event !== null);
    },

    async ensureLoaded() {
      // Markers are loaded per performance on its first use (and again after its Redis or shard lost them); here
      // only the connection is checked.
      await guarded(() => pingRedis(redis));
    },

    async ping() {
      await guarded(() => pingRedis(redis));
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

function toHold(holdId: string, reply: Reply | null): HoldRecord | null {
  if (reply === null || reply.length === 0) return null;
  const [scheduleId, expiresAt, ...seatIds] = reply;
  return { holdId, scheduleId: String(scheduleId), expiresAt: Number(expiresAt), seatIds: seatIds.map(String) };
}

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
