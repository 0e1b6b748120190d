import type { Db } from '../db/database.ts';
import type { ConcertQueueRow } from '../db/tables.ts';
import { listQueueConfigs } from './config-repository.ts';
import type { QueueSettings } from './queue-store.ts';

export interface QueueConfigEntry {
  concertId: string;
  enabled: boolean;
  opensAt: Date;
  admitPerMinute: number;
  maxActive: number;
  sessionMinutes: number;
  challengeBits: number;
  paused: boolean;
  settings: QueueSettings;
}

export function toEntry(row: ConcertQueueRow): QueueConfigEntry {
  const opensAt = new Date(row.opens_at);
  return {
    concertId: row.concert_id,
    enabled: row.enabled,
    opensAt,
    admitPerMinute: row.admit_per_minute,
    maxActive: row.max_active,
    sessionMinutes: row.session_minutes,
    challengeBits: row.challenge_bits,
    paused: row.paused,
    settings: {
      opensAt: opensAt.getTime(),
      admitPerMinute: row.admit_per_minute,
      maxActive: row.max_active,
      sessionMs: row.session_minutes * 60_000,
      paused: row.paused,
    },
  };
}

/**
 * Every node's copy of the queue settings (one small table), re-read every `refreshMs` and at once after a change
 * made on this node; another node's change reaches it within `refreshMs`. Reads are synchronous, so a hold on a
 * concert without a queue costs nothing. If the database cannot be read the last copy stays in force: a queue
 * that was on stays on.
 */
export function createQueueConfigs(db: Db, options: { refreshMs: number; onError: (err: unknown) => void }) {
  let byConcert = new Map<string, QueueConfigEntry>();
  let anyEnabled = false;
  let loading: Promise<void> | null = null;

  const replace = (next: Map<string, QueueConfigEntry>) => {
    byConcert = next;
    anyEnabled = [...next.values()].some((c) => c.enabled);
  };
  async function reload(): Promise<void> {
    const rows = await listQueueConfigs(db);
    replace(new Map(rows.map((row) => [row.concert_id, toEntry(row)])));
  }
  const refresh = () => {
    loading ??= reload().finally(() => {
      loading = null;
    });
    return loading;
  };
  const timer = setInterval(() => refresh().catch(options.onError), options.refreshMs);
  timer.unref();

  return {
    /** Loads the table; call once before serving. */
    load: reload,
    /** The settings of a concert, or undefined when it has none. */
    get: (concertId: string) => byConcert.get(concertId),
    /** Whether any concert's queue is on (the hold path's one check when none is). */
    anyEnabled: () => anyEnabled,
    /** The queue that guards this concert right now, if any. */
    enabled(concertId: string): QueueConfigEntry | undefined {
      const entry = byConcert.get(concertId);
      return entry?.enabled ? entry : undefined;
    },
    all: () => [...byConcert.values()],
    /** After a change on this node: this node sees it at once. */
    put(row: ConcertQueueRow) {
      replace(new Map(byConcert).set(row.concert_id, toEntry(row)));
    },
    close() {
      clearInterval(timer);
    },
  };
}

export type QueueConfigs = ReturnType<typeof createQueueConfigs>;
