import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiClient } from './api.ts';
import { BuyerStats, runBuyer } from './buyers.ts';
import { type CheckResult, checkDatabase, checkSnapshots } from './check.ts';
import { FanoutTracker } from './fanout.ts';
import { type LoadtestOptions, type LoadtestOptionsInput, loadtestOptionsSchema } from './options.ts';
import { SeatBoard } from './seat-board.ts';
import { LatencyRecorder, type LatencySummary } from './stats.ts';
import { openWatchers, type WatcherStats } from './watchers.ts';

export interface LoadtestProgress {
  elapsedSeconds: number;
  /** Purchases started so far, and the planned total (null in duration mode). */
  attempts: number;
  total: number | null;
  durationSeconds: number | null;
  holds: number;
  booked: number;
  conflicts: number;
}

export interface LoadtestResult {
  ok: boolean;
  startedAt: string;
  options: Omit<LoadtestOptions, 'databaseUrl'> & { databaseUrl: string | null };
  scheduleId: string;
  seats: number;
  buyingSeconds: number;
  buyers: {
    attempts: number;
    holds: number;
    booked: number;
    seatsBooked: number;
    abandonedDeleted: number;
    abandonedExpiring: number;
    gaveUp: number;
    holdLost: number;
    soldOut: boolean;
    errors: Record<string, number>;
    /** 503s a retry got past (not errors). */
    retried: Record<string, number>;
  };
  throughput: { holdsPerSecond: number; bookingsPerSecond: number };
  conflicts: Record<string, number> & { total: number };
  latencyMs: Record<'seatMap' | 'hold' | 'reserve' | 'release', LatencySummary>;
  fanout: {
    kind: string;
    watchers: WatcherStats & { requested: number };
    lagMs: LatencySummary;
    /** Held changes that reached a watcher before the buyer read its 201 (counted as 0 ms). */
    beforeResponse: number;
  };
  checks: CheckResult[];
}

/** Thrown when the run cannot start (no node answers, no bookable performance …). */
export class LoadtestSetupError extends Error {}

/** Longest wait after the last buyer for broadcasts in flight to reach every watcher. */
const DRAIN_LIMIT_MS = 30_000;
/** After the last open hold's expiry: the sweeper runs every 250 ms and broadcasts within 1 s. */
const EXPIRY_MARGIN_MS = 1500;
const DEFAULT_TTL_MS = 300_000;

/**
 * Runs the buyer simulator against running nodes and checks SPEC §7.1/§7.3 at the end. The programmatic entry
 * behind `npm run loadtest`; `ok` is false when any invariant failed.
 */
export async function runLoadtest(
  input: LoadtestOptionsInput,
  hooks: { onProgress?: (progress: LoadtestProgress) => void; log?: (line: string) => void } = {},
): Promise<LoadtestResult> {
  const options = loadtestOptionsSchema.parse(input);
  const log = hooks.log ?? (() => {});
  const apis = options.urls.map((url) => new ApiClient(url, options.requestTimeoutMs));
  const startedAt = new Date();

  const scheduleId = options.scheduleId ?? (await apis[0]!.firstBookableSchedule(options.seatsPerBuyer));
  if (!scheduleId) throw new LoadtestSetupError(`no bookable performance found at ${options.urls[0]}`);
  const first = await apis[0]!.seatMap(scheduleId);
  if (!first.data) {
    throw new LoadtestSetupError(`seat map of ${scheduleId}: ${first.status} ${first.error?.code ?? ''}`.trim());
  }
  const seatMapLatency = new LatencyRecorder();
  seatMapLatency.record(first.ms);
  const board = new SeatBoard(first.data);
  log(`performance ${scheduleId}: ${board.size} seats, ${board.count('available')} available`);

  const fanout = new FanoutTracker();
  const watchers = await openWatchers({
    urls: options.urls,
    kind: options.watcherKind,
    count: options.watchers,
    scheduleId,
    onChange: (index, event, at) => {
      if (index === 0) board.apply(event.changes);
      fanout.watcherSaw(event.changes, at);
    },
  });
  if (options.watchers > 0)
    log(`${watchers.stats.connected}/${options.watchers} ${options.watcherKind} watchers joined`);

  const stats = new BuyerStats();
  const total = options.count ?? (options.durationSeconds === undefined ? options.buyers : null);
  const begin = Date.now();
  const stopAt = begin + 1000 * Math.min(options.durationSeconds ?? Number.POSITIVE_INFINITY, options.timeoutSeconds);
  const mayStart = () => !stats.soldOut && (total === null || stats.attempts < total) && Date.now() < stopAt;

  const progress = () =>
    hooks.onProgress?.({
      elapsedSeconds: (Date.now() - begin) / 1000,
      attempts: stats.attempts,
      total,
      durationSeconds: options.durationSeconds ?? null,
      holds: stats.holds,
      booked: stats.booked,
      conflicts: Object.values(stats.conflicts.counts).reduce((a, b) => a + b, 0),
    });
  const ticker = setInterval(progress, 200);
  try {
    await Promise.all(
      Array.from({ length: options.buyers }, (_, i) =>
        runBuyer({ options, scheduleId, apis, board, fanout, stats, mayStart, random: Math.random }, i),
      ),
    );
  } finally {
    clearInterval(ticker);
    progress();
  }
  const buyingSeconds = (Date.now() - begin) / 1000;

  // Every watcher has everything once it has the version the server is at now (a lost event never arrives:
  // the limit only keeps the run from hanging, and the gap counts tell).
  if (watchers.stats.connected > 0) {
    const current = (await apis[0]!.seatMap(scheduleId)).data?.version;
    const until = Date.now() + DRAIN_LIMIT_MS;
    while (current !== undefined && (watchers.lowestVersion() ?? current) < current && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  watchers.close();

  const checks: CheckResult[] = [
    {
      name: '§7.1 no seat in two 201 reservations (client side)',
      ok: stats.doubleBooked.length === 0,
      detail: stats.doubleBooked.length
        ? stats.doubleBooked
            .slice(0, 5)
            .map((d) => `${d.seatId} in ${d.reservations.join(' and ')}`)
            .join('; ')
        : `${stats.bookedSeats.size} seats booked once each`,
    },
  ];
  let reserved: Set<string> | null = null;
  if (options.databaseUrl) {
    log('checking the database (§7.1)');
    const db = await checkDatabase(options.databaseUrl, scheduleId);
    checks.push(...db.results);
    reserved = db.reserved;
  } else {
    checks.push({ name: '§7.1 database', ok: null, detail: 'not checked: no --database-url / DATABASE_URL' });
  }

  // A hold request that got no answer may still have made a hold: it lives one TTL (as the 201s showed it, else
  // the default 300 s) from when the buyer gave up on it.
  if (stats.lastUnansweredHold) {
    const ttl = stats.holdTtlMs > 0 ? stats.holdTtlMs + 1000 : DEFAULT_TTL_MS;
    stats.lastOpenHoldExpiry = Math.max(stats.lastOpenHoldExpiry, stats.lastUnansweredHold + ttl);
  }
  const quietAt = stats.lastOpenHoldExpiry ? stats.lastOpenHoldExpiry + EXPIRY_MARGIN_MS : Date.now();
  const waitMs = quietAt - Date.now();
  if (waitMs > options.checkWaitSeconds * 1000) {
    checks.push({
      name: '§7.3 no hold left',
      ok: null,
      detail: `not checked: abandoned holds live until ${new Date(stats.lastOpenHoldExpiry).toISOString()}, beyond --check-wait`,
    });
  } else {
    if (waitMs > 0) {
      log(`waiting ${Math.ceil(waitMs / 1000)} s for abandoned holds to expire (§7.3)`);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
    // Polls until every node agrees (a sweep may be in progress), for as long as --check-wait allows.
    checks.push(...(await checkSnapshots(apis, scheduleId, reserved, Date.now() + options.checkWaitSeconds * 1000)));
  }

  const conflictCounts = { ...stats.conflicts.counts };
  const result: LoadtestResult = {
    ok: checks.every((c) => c.ok !== false),
    startedAt: startedAt.toISOString(),
    options: { ...options, databaseUrl: options.databaseUrl ? redact(options.databaseUrl) : null },
    scheduleId,
    seats: board.size,
    buyingSeconds: round(buyingSeconds),
    buyers: {
      attempts: stats.attempts,
      holds: stats.holds,
      booked: stats.booked,
      seatsBooked: stats.seatsBooked,
      abandonedDeleted: stats.abandonedDeleted,
      abandonedExpiring: stats.abandonedExpiring,
      gaveUp: stats.gaveUp,
      holdLost: stats.holdLost,
      soldOut: stats.soldOut,
      errors: { ...stats.errors.counts },
      retried: { ...stats.retried.counts },
    },
    throughput: {
      holdsPerSecond: round(stats.holds / buyingSeconds),
      bookingsPerSecond: round(stats.booked / buyingSeconds),
    },
    conflicts: { ...conflictCounts, total: Object.values(conflictCounts).reduce((a, b) => a + b, 0) },
    latencyMs: {
      seatMap: seatMapLatency.summary(),
      hold: stats.latency.hold.summary(),
      reserve: stats.latency.reserve.summary(),
      release: stats.latency.release.summary(),
    },
    fanout: {
      kind: options.watcherKind,
      watchers: { requested: options.watchers, ...watchers.stats },
      lagMs: fanout.lag.summary(),
      beforeResponse: fanout.early,
    },
    checks,
  };
  if (options.json) {
    await mkdir(path.dirname(path.resolve(options.json)), { recursive: true });
    await writeFile(options.json, `${JSON.stringify(result, null, 2)}\n`);
  }
  return result;
}

function round(v: number) {
  return Number.isFinite(v) ? Math.round(v * 10) / 10 : 0;
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'invalid URL';
  }
}
