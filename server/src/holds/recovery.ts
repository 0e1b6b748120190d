import { randomBytes } from 'node:crypto';
import type { ReservedSeatSource } from './hold-store.ts';

export interface RecoveryOptions {
  source: ReservedSeatSource;
  /**
   * The highest version this node has seen per performance (what its watchers and caches have). After a data loss
   * the store's counters restart; they are raised above these so versions never go backwards.
   */
  versionFloors: () => Map<string, number>;
  /** Replaces the reserved markers, raises versions above the floors and sets the sentinel to `generation`. */
  load(reserved: Map<string, string[]>, floors: Map<string, number>, generation: string): Promise<void>;
  /**
   * When the store's generation differs from `known` (another node rebuilt the markers), raises versions above this
   * node's floors; returns the store's generation. Rejects with NOT_LOADED while no markers are loaded.
   */
  raise(known: string, floors: Map<string, number>): Promise<string>;
  log?: RecoveryLog;
}

export type RecoveryLog = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };

export interface Recovery {
  /** Rebuilds the markers from the database; concurrent calls share one rebuild. */
  reload(): Promise<void>;
  /**
   * Called with the generation each sweep reads: applies this node's floors once after someone else's rebuild. The
   * first generation a node sees (at start) is simply taken: nothing this node knows can predate it.
   */
  check(generation: string): Promise<void>;
}

/** A database without reservations (tests, tools). */
export const noReservedSeats: ReservedSeatSource = { all: async () => new Map(), among: async () => [] };

/** Is this the store refusing because the reserved markers are missing? */
export const isNotLoaded = (err: unknown) => err instanceof Error && err.message.startsWith('NOT_LOADED');

/**
 * The hold store's recovery after Redis lost its data (a restart without persistence), in one place. The database
 * stays the authority: the markers are rebuilt from it, and every versioned script refuses (NOT_LOADED) until they
 * are, so no version moves on an empty store. Each rebuild stamps a new generation into the sentinel; a node that
 * sees a generation it did not load raises the versions of the performances it knows above what it has seen, so no
 * watcher on any node is left with a version the new counters would repeat. Both steps publish notices (empty
 * events at the current version) so watchers resync without waiting for the next change.
 */
export function createRecovery(options: RecoveryOptions): Recovery {
  let known: string | undefined;
  let reloading: Promise<void> | null = null;
  let checking: Promise<void> | null = null;

  const reload = async () => {
    const reserved = await options.source.all();
    const generation = randomBytes(8).toString('hex');
    await options.load(reserved, options.versionFloors(), generation);
    known = generation;
    options.log?.info({ schedules: reserved.size }, 'reserved seat markers rebuilt from the database');
  };

  return {
    reload() {
      reloading ??= reload().finally(() => {
        reloading = null;
      });
      return reloading;
    },
    check(generation) {
      if (generation === known) return Promise.resolve();
      if (known === undefined) {
        known = generation;
        return Promise.resolve();
      }
      const before = known;
      checking ??= options
        .raise(before, options.versionFloors())
        .then((current) => {
          known = current;
        })
        .finally(() => {
          checking = null;
        });
      return checking;
    },
  };
}

/** Per performance, the highest version in any of the maps (version floors from several sources). */
export function highest(...maps: ReadonlyMap<string, number>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const map of maps) for (const [id, v] of map) if (v > (out.get(id) ?? -1)) out.set(id, v);
  return out;
}
