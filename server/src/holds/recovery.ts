import { randomBytes } from 'node:crypto';
import type { ReservedSeatSource } from './hold-store.ts';

export interface RecoveryOptions {
  source: Pick<ReservedSeatSource, 'of'>;
  /**
   * The highest version this node has seen per performance (what its watchers and caches have). After a data loss
   * the store's counters restart; they are raised above these so versions never go backwards.
   */
  versionFloors: () => Map<string, number>;
  /**
   * Replaces one performance's reserved markers, raises its version above `floor` (-1: none) and sets its sentinel
   * to `generation`.
   */
  load(scheduleId: string, reserved: string[], floor: number, generation: string): Promise<void>;
  /**
   * When the performance's generation differs from `known` (another node rebuilt its markers), raises its version
   * above this node's floor; returns the generation. Rejects with NOT_LOADED while no markers are loaded.
   */
  raise(scheduleId: string, known: string, floor: number): Promise<string>;
  log?: RecoveryLog;
}

export type RecoveryLog = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };

export interface Recovery {
  /** Rebuilds one performance's markers from the database; concurrent calls share one rebuild. */
  reload(scheduleId: string): Promise<void>;
  /**
   * Called with the generation each sweep reads for a performance: applies this node's floor once after someone
   * else's rebuild. The first generation a node sees is simply taken: nothing this node knows can predate it.
   */
  check(scheduleId: string, generation: string | null): Promise<void>;
}

/** A database without reservations (tests, tools). */
export const noReservedSeats: ReservedSeatSource = {
  all: async () => new Map(),
  of: async () => [],
  among: async () => [],
};

/** Is this the store refusing because the reserved markers are missing? */
export const isNotLoaded = (err: unknown) => err instanceof Error && err.message.startsWith('NOT_LOADED');

/**
 * The hold store's recovery after Redis (or one cluster shard) lost its data, one performance at a time: its keys
 * live together in one slot, so they are lost together. The database stays the authority: the markers are rebuilt
 * from it, and every versioned script refuses (NOT_LOADED) until they are, so no version moves on an empty store.
 * The first use of a performance loads it the same way (nothing to raise then). Each rebuild stamps a new generation
 * into the performance's sentinel; a node that sees a generation it did not load raises the version above what it
 * has seen, so no watcher on any node is left with a version the new counter would repeat. Both steps publish
 * notices (empty events at the current version) so watchers resync without waiting for the next change.
 */
export function createRecovery(options: RecoveryOptions): Recovery {
  const known = new Map<string, string>();
  const reloading = new Map<string, Promise<void>>();
  const checking = new Map<string, Promise<void>>();
  const floorOf = (scheduleId: string) => options.versionFloors().get(scheduleId) ?? -1;

  const reload = async (scheduleId: string) => {
    const reserved = await options.source.of(scheduleId);
    const generation = randomBytes(8).toString('hex');
    const floor = floorOf(scheduleId);
    await options.load(scheduleId, reserved, floor, generation);
    known.set(scheduleId, generation);
    if (floor >= 0 || reserved.length > 0) {
      options.log?.info({ scheduleId, reserved: reserved.length }, 'reserved seat markers loaded from the database');
    }
  };

  return {
    reload(scheduleId) {
      let pending = reloading.get(scheduleId);
      if (!pending) {
        pending = reload(scheduleId).finally(() => reloading.delete(scheduleId));
        reloading.set(scheduleId, pending);
      }
      return pending;
    },
    check(scheduleId, generation) {
      if (generation === null) return Promise.resolve();
      const before = known.get(scheduleId);
      if (generation === before) return Promise.resolve();
      if (before === undefined) {
        known.set(scheduleId, generation);
        return Promise.resolve();
      }
      let pending = checking.get(scheduleId);
      if (!pending) {
        pending = options
          .raise(scheduleId, before, floorOf(scheduleId))
          .then((current) => {
            known.set(scheduleId, current);
          })
          .finally(() => checking.delete(scheduleId));
        checking.set(scheduleId, pending);
      }
      return pending;
    },
  };
}

/** Per performance, the highest version in any of the maps (version floors from several sources). */
export function highest(...maps: ReadonlyMap<string, number>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const map of maps) for (const [id, v] of map) if (v > (out.get(id) ?? -1)) out.set(id, v);
  return out;
}
