import type pg from 'pg';
import { runLoadtest } from '../loadtest/run.ts';
import { withClient } from './setup.ts';

export interface HotSeatResult {
  buyers: number;
  seats: number;
  sold: number;
  /** Transactions of the race, the sessions' login transactions excluded. */
  transactions: number;
  /** Sessions the server opened during the race (their login transactions are not counted). */
  logins: number;
  perSeatSold: number;
  holds409: number;
  seconds: number;
}

const SEATS = 10;

interface DatabaseStats {
  /** Transactions committed and rolled back in the database (pg_stat_database). */
  xacts: number;
  /** Sessions ever opened to it: each runs one transaction of its own at start (the catalog lookups of a login). */
  sessions: number;
  /** Client sessions connected now. */
  connected: number;
}

async function stats(adminUrl: string, database: string): Promise<DatabaseStats> {
  // Read from another database, so the reading itself is not counted.
  return withClient(adminUrl, async (client) => {
    await client.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await client.query<{ xacts: string; sessions: string; connected: string }>(
      `SELECT (d.xact_commit + d.xact_rollback)::text AS xacts, d.sessions::text AS sessions,
              (SELECT count(*) FROM pg_stat_activity a
                WHERE a.datname = d.datname AND a.backend_type = 'client backend')::text AS connected
         FROM pg_stat_database d WHERE d.datname = $1`,
      [database],
    );
    const row = rows[0];
    return { xacts: Number(row?.xacts), sessions: Number(row?.sessions), connected: Number(row?.connected) };
  });
}

/**
 * The counts once no session of the database is left and two reads a second apart agree. A backend keeps its
 * counts to itself until it flushes them (when idle, at most once a second, later when the shared statistics are
 * busy) but always flushes on exit: with every session gone, nothing is pending anywhere and the count is exact.
 */
async function settledStats(adminUrl: string, database: string): Promise<DatabaseStats> {
  let last = await stats(adminUrl, database);
  for (let stable = 0, i = 0; (stable < 2 || last.connected > 0) && i < 60; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = await stats(adminUrl, database);
    stable = now.xacts === last.xacts && now.sessions === last.sessions && now.connected === 0 ? stable + 1 : 0;
    last = now;
  }
  if (last.connected > 0) throw new Error(`${last.connected} sessions of ${database} did not end`);
  return last;
}

/** Ends the server's pooled sessions (they flush their counts on exit); the pool opens new ones as it needs them. */
async function endSessions(adminUrl: string, database: string): Promise<void> {
  await withClient(adminUrl, (client) =>
    client.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
      [database],
    ),
  );
}

/**
 * 1,000 buyers race for 10 seats (one seat each, no think time) through the real server; Postgres transactions
 * run in the dedicated bench database during the race, divided by seats sold. The ideal is 1: losers are turned
 * away by the hold store without touching Postgres. Measured on a warmed-up node (layout cached). The count is
 * exact: it is read with no session of the database left (see settledStats) before and after the race, so no
 * late statistics flush can move it; the server's sessions are ended after the warm-up and it reopens its pool
 * during the race, so the one transaction each new session runs at login is subtracted (pg_stat_database.sessions).
 * Anything else the server did on that database meanwhile (it is otherwise idle) is counted, so it errs high.
 */
export async function benchHotSeat(options: {
  url: string;
  databaseUrl: string;
  adminUrl: string;
  database: string;
  buyers: number;
  /** Closes the server, so its database sessions end and flush their statistics. */
  stopServer: () => Promise<void>;
}): Promise<HotSeatResult> {
  const scheduleId = await withClient(options.databaseUrl, async (client: pg.Client) => {
    const concert = await client.query<{ id: string }>(
      `INSERT INTO concerts (title, description, venue, timezone) VALUES ('Hot seat bench', 'npm run bench', 'Bench hall', 'Asia/Seoul') RETURNING id`,
    );
    const schedule = await client.query<{ id: string }>(
      `INSERT INTO schedules (concert_id, date_time) VALUES ($1, now() + interval '30 days') RETURNING id`,
      [concert.rows[0]!.id],
    );
    const id = schedule.rows[0]!.id;
    // One seat per row, so the orphan rule never refuses a pick and every seat can sell.
    for (let i = 0; i < SEATS; i++) {
      const row = String.fromCharCode(65 + i);
      await client.query(
        `INSERT INTO seats (schedule_id, seat_number, section, row_label, position, grade, price, x, y)
         VALUES ($1, $2, 'R', $3, 1, 'R', 100000, 10, $4)`,
        [id, `${row}01`, row, i * 10],
      );
    }
    return id;
  });

  // Warm up as a node in a running sale would be: the layout cached and the pool's connections open (opening a
  // Postgres session runs a transaction of its own). Twenty concurrent browse reads do both.
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      fetch(`${options.url}${i === 0 ? `/api/schedules/${scheduleId}/seats` : '/api/concerts'}`).then((r) => r.text()),
    ),
  );

  await endSessions(options.adminUrl, options.database);
  const before = await settledStats(options.adminUrl, options.database);
  const began = Date.now();
  const result = await runLoadtest({
    urls: [options.url],
    scheduleId,
    buyers: options.buyers,
    count: options.buyers,
    watchers: 0,
    seatsPerBuyer: 1,
    mode: 'manual',
    thinkMs: 0,
    abandonRate: 0,
    maxHoldAttempts: 1,
    checkWaitSeconds: 0,
  });
  const seconds = (Date.now() - began) / 1000;
  await options.stopServer();
  const after = await settledStats(options.adminUrl, options.database);
  const sold = await withClient(options.databaseUrl, async (client) => {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM seats WHERE schedule_id = $1 AND status = 'reserved'`,
      [scheduleId],
    );
    return rows[0]!.n;
  });
  const logins = after.sessions - before.sessions;
  const transactions = after.xacts - before.xacts - logins;
  return {
    buyers: options.buyers,
    seats: SEATS,
    sold,
    transactions,
    logins,
    perSeatSold: sold ? transactions / sold : Number.NaN,
    holds409: result.conflicts.total,
    seconds,
  };
}
