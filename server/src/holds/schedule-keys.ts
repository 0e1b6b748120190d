import { seatEventChannel } from './seat-event.ts';

/**
 * Where one performance lives in Redis (decision 0014): every key under `<prefix>{<scheduleId>}:`, so the hash tag
 * puts all of them in one Redis Cluster slot — one shard — and every hold-store script runs there. The event channel
 * carries the same tag (`<prefix>schedule:{<scheduleId>}:events`), so the script that moves the version can SPUBLISH
 * on it. Other per-performance keys follow the same rule: `<prefix>{<scheduleId>}:<what>` (e.g. area counters).
 */
export interface ScheduleKeys {
  /** `<prefix>{<scheduleId>}:` — keys named by data (holds, seat locks, holders) are built on it inside Lua. */
  base: string;
  /** The fixed keys every hold-store script declares: version, held, reserved, expiry, loaded. */
  keys: [string, string, string, string, string];
  channel: string;
}

export function scheduleKeys(prefix: string, scheduleId: string): ScheduleKeys {
  const base = `${prefix}{${scheduleId}}:`;
  return {
    base,
    keys: [`${base}version`, `${base}held`, `${base}reserved`, `${base}expiry`, `${base}loaded`],
    channel: seatEventChannel(prefix, scheduleId),
  };
}

/**
 * The sweep directory: which performances may have holds to sweep. The expiry index is per performance (in its
 * slot), so the sweeper must know which performances to look at; the directory is split into buckets, each its own
 * key and hash tag (`<prefix>{sweep:<n>}:schedules`), so no single key or shard carries every hold's registration.
 */
export const SWEEP_BUCKETS = 16;
export const sweepBucketKey = (prefix: string, bucket: number) => `${prefix}{sweep:${bucket}}:schedules`;
export function sweepBucketOf(scheduleId: string): number {
  const n = Number.parseInt(scheduleId.charAt(0), 16);
  return Number.isNaN(n) ? 0 : n % SWEEP_BUCKETS;
}
