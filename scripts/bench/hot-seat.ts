import type pg from 'pg';
import { runLoadtest } from '../loadtest/run.ts';
import { withClient } from './setup.ts';

export interface HotSeatResult {
  buyers: number;
  seats: number;
  sold: number;
  transactions: number;
  perSeatSold: number;
  holds409: number;
  seconds: number;
}

const SEATS = 10;
const IDLE_FLUSH_MS = 11_000;

async function xacts(adminUrl: string, database: string): Promise<number> {
  // Read from another database, so the reading itself is not counted.
  return withClient(adminUrl, async (client) => {
    await client.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await client.query<{ n: string }>(
      'SELECT (xact_commit + xact_rollback)::text AS n FROM pg_stat_database WHERE datname = $1',
      [database],
    );
    return Number(rows[0]?.n ?? Number.NaN);
  });
}

/** The count once two reads a second apart agree. */
async function settledXacts(adminUrl: string, database: string): Promise<number> {
  let last = await xacts(adminUrl, database);
  for (let stable = 0, i = 0; stable < 2 && i < 25; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = await xacts(adminUrl, database);
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
  return last;
}

/**
 * 1,000 buyers race for 10 seats (one seat each, no think time) through the real server; Postgres transactions
 * started on the dedicated bench database (pg_stat_database commits + rollbacks) divided by seats sold. The
 * ideal is 1: losers are turned away by the hold store without touching Postgres. Measured on a warmed-up node
 * (layout cached, pool connections open). The count includes whatever
 * else the server did on that database meanwhile (it is otherwise idle), so it errs high.
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

  // Backends flush their counters when they go idle, but at most once a second and otherwise ~10 s later: wait out
  // the previous bench step's late flushes, and read the end after the server has closed its connections (a
  // backend flushes on exit).
  await new Promise((resolve) => setTimeout(resolve, IDLE_FLUSH_MS));
  // On a busy box a backend's flush can come later still: start from a count that has stopped moving.
  const before = await settledXacts(options.adminUrl, options.database);
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
  const after = await settledXacts(options.adminUrl, options.database);
  const sold = await withClient(options.databaseUrl, async (client) => {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM seats WHERE schedule_id = $1 AND status = 'reserved'`,
      [scheduleId],
    );
    return rows[0]!.n;
  });
  const transactions = after - before;
  return {
    buyers: options.buyers,
    seats: SEATS,
    sold,
    transactions,
    perSeatSold: sold ? transactions / sold : Number.NaN,
    holds409: result.conflicts.total,
    seconds,
  };
}
