import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { ApiClient } from '../loadtest/api.ts';
import { LatencyRecorder, type LatencySummary } from '../loadtest/stats.ts';
import { cursor } from './seat-pools.ts';
import { withClient } from './setup.ts';

const run = promisify(execFile);

export interface BookingBench {
  clients: number;
  seconds: number;
  bookings: number;
  bookingsPerSecond: number;
  failures: Record<string, number>;
  latencyMs: LatencySummary;
}

/**
 * Our booking path on distinct seats: `clients` buyers in a loop, each POST hold (2 adjacent seats) then POST
 * reservation, for `seconds`. Counts confirmed bookings per second.
 */
export async function benchBooking(options: {
  url: string;
  scheduleId: string;
  pairs: string[][];
  clients: number;
  seconds: number;
}): Promise<BookingBench> {
  const api = new ApiClient(options.url, 30_000);
  const seats = cursor(options.pairs);
  const latency = new LatencyRecorder();
  const failures: Record<string, number> = {};
  let bookings = 0;
  const fail = (key: string) => {
    failures[key] = (failures[key] ?? 0) + 1;
  };
  const start = performance.now();
  const stopAt = start + options.seconds * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: options.clients }, async () => {
      for (let pair = seats.take(); pair && performance.now() < stopAt; pair = seats.take()) {
        const t0 = performance.now();
        const hold = await api.holdSeats(options.scheduleId, { seatIds: pair });
        if (!hold.data) {
          fail(`hold ${hold.status} ${hold.error?.code ?? ''}`);
          continue;
        }
        const digits = String(10_000_000 + (n++ % 90_000_000)).slice(-8);
        const phone = `010-${digits.slice(0, 4)}-${digits.slice(4)}`;
        const booked = await api.reserve(hold.data.holdId, { name: '벤치', phone }, randomUUID());
        if (!booked.data) {
          fail(`reserve ${booked.status} ${booked.error?.code ?? ''}`);
          continue;
        }
        bookings++;
        latency.record(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return {
    clients: options.clients,
    seconds,
    bookings,
    bookingsPerSecond: bookings / seconds,
    failures,
    latencyMs: latency.summary(),
  };
}

export interface PgbenchResult {
  available: boolean;
  tps?: number;
  note: string;
}

const PGBENCH_CANDIDATES = ['pgbench', '/usr/lib/postgresql/16/bin/pgbench', '/usr/lib/postgresql/15/bin/pgbench'];

async function findPgbench(): Promise<string | null> {
  for (const bin of PGBENCH_CANDIDATES) {
    try {
      await run(bin, ['--version']);
      return bin;
    } catch {
      // not this one
    }
  }
  return null;
}

/** The raw baseline: pgbench running the seed booking transaction (lock 2 seats, insert, update) directly. */
export async function benchPgbench(options: {
  databaseUrl: string;
  scriptPath: string;
  clients: number;
  seconds: number;
}): Promise<PgbenchResult> {
  const bin = await findPgbench();
  if (!bin) {
    return {
      available: false,
      note: 'pgbench is not installed (it ships with the PostgreSQL server/contrib packages)',
    };
  }
  await withClient(options.databaseUrl, async (client) => {
    await client.query(`
      DROP TABLE IF EXISTS pb_res, pb_seats;
      CREATE TABLE pb_seats (id serial primary key, schedule_id int not null, seat_number text, grade text,
        price int, status text not null default 'available', updated_at timestamptz default now());
      CREATE TABLE pb_res (id bigserial primary key, schedule_id int, seat_ids int[], total_price int,
        customer_name text, customer_phone text, status text default 'confirmed', created_at timestamptz default now());
      INSERT INTO pb_seats(schedule_id, seat_number, grade, price)
        SELECT 1, 'S'||g, 'R', 150000 FROM generate_series(1,50000) g;`);
    await client.query('VACUUM ANALYZE pb_seats');
  });
  try {
    const args = ['-n', '-c', String(options.clients), '-j', '2', '-T', String(options.seconds)];
    const { stdout } = await run(bin, [...args, '-f', options.scriptPath, options.databaseUrl], {
      timeout: (options.seconds + 60) * 1000,
    });
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1];
    if (!tps) return { available: true, note: `could not read pgbench output: ${stdout.slice(-200)}` };
    return { available: true, tps: Number(tps), note: `pgbench ${args.join(' ')}` };
  } catch (err) {
    return { available: true, note: `pgbench failed: ${err instanceof Error ? err.message.slice(0, 200) : err}` };
  } finally {
    await withClient(options.databaseUrl, (client) => client.query('DROP TABLE IF EXISTS pb_res, pb_seats')).catch(
      () => {},
    );
  }
}
