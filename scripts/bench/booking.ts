import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LatencyRecorder, type LatencySummary } from '../loadtest/stats.ts';
import { cursor } from './http.ts';
import { withClient } from './setup.ts';

const run = promisify(execFile);

export interface BookingBench {
  clients: number;
  seconds: number;
  bookings: number;
  bookingsPerSecond: number;
  failures: Record<string, number>;
  latencyMs: LatencySummary;
  holdMs: LatencySummary;
  reserveMs: LatencySummary;
  load: number;
  /** Seat groups taken from `groups` (booked, refused, or taken as time ran out). */
  groupsUsed: number;
}

/** A lean JSON POST over a keep-alive agent: the load generator shares the cores, so it should cost little. */
function post(agent: Agent, url: URL, path: string, body: unknown, headers: Record<string, string> = {}) {
  const payload = JSON.stringify(body);
  return new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : {} }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Our booking path on distinct seats: `clients` buyers in a loop, each POST hold (a group of adjacent seats) then
 * POST reservation, for `seconds`. Counts confirmed bookings per second; latency is hold + reserve.
 */
export async function benchBooking(options: {
  url: string;
  scheduleId: string;
  groups: string[][];
  clients: number;
  seconds: number;
  load: number;
  /** Books for this long first, unmeasured: pool connections open, code optimised, as on a node in a sale. */
  warmupSeconds?: number;
}): Promise<BookingBench> {
  const seats = cursor(options.groups);
  if (options.warmupSeconds) {
    // The same buyers on the next seats: the measured run goes on where the warm-up stopped.
    const warm = await benchBooking({
      ...options,
      groups: options.groups.slice(0, Math.min(options.groups.length, options.clients * 2000)),
      seconds: options.warmupSeconds,
      warmupSeconds: 0,
    });
    for (let i = 0; i < warm.groupsUsed; i++) seats.take();
  }
  const url = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients });
  const latency = new LatencyRecorder();
  const holdMs = new LatencyRecorder();
  const reserveMs = new LatencyRecorder();
  const failures: Record<string, number> = {};
  let bookings = 0;
  const fail = (key: string) => {
    failures[key] = (failures[key] ?? 0) + 1;
  };
  const start = performance.now();
  const stopAt = start + options.seconds * 1000;
  let n = 0;
  try {
    await Promise.all(
      Array.from({ length: options.clients }, async () => {
        for (let group = seats.take(); group && performance.now() < stopAt; group = seats.take()) {
          const t0 = performance.now();
          const hold = await post(agent, url, `/api/schedules/${options.scheduleId}/holds`, { seatIds: group });
          const t1 = performance.now();
          if (hold.status !== 201) {
            fail(`hold ${hold.status} ${(hold.json.error as { code?: string } | undefined)?.code ?? ''}`);
            continue;
          }
          const digits = String(10_000_000 + (n++ % 90_000_000)).slice(-8);
          const booked = await post(
            agent,
            url,
            '/api/reservations',
            {
              holdId: hold.json.holdId,
              customer: { name: '벤치', phone: `010-${digits.slice(0, 4)}-${digits.slice(4)}` },
            },
            { 'idempotency-key': randomUUID() },
          );
          const t2 = performance.now();
          if (booked.status !== 201) {
            fail(`reserve ${booked.status} ${(booked.json.error as { code?: string } | undefined)?.code ?? ''}`);
            continue;
          }
          bookings++;
          holdMs.record(t1 - t0);
          reserveMs.record(t2 - t1);
          latency.record(t2 - t0);
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  const seconds = (performance.now() - start) / 1000;
  return {
    clients: options.clients,
    seconds,
    bookings,
    bookingsPerSecond: bookings / seconds,
    failures,
    latencyMs: latency.summary(),
    holdMs: holdMs.summary(),
    reserveMs: reserveMs.summary(),
    load: options.load,
    groupsUsed: seats.used,
  };
}

export interface PgbenchResult {
  available: boolean;
  tps?: number;
  p50Ms?: number;
  p99Ms?: number;
  note: string;
  load: number;
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

/** The raw baseline tables of /work/shared/bench/booking.pgbench.sql (see its header), made once per database. */
export async function preparePgbench(databaseUrl: string) {
  await withClient(databaseUrl, async (client) => {
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
}

/**
 * The raw baseline: pgbench running the seed-shaped booking transaction (lock 2 seats, insert, update) with no
 * application in between, at `clients`; p50/p99 from its per-transaction log.
 */
export async function benchPgbench(options: {
  databaseUrl: string;
  scriptPath: string;
  clients: number;
  seconds: number;
  load: number;
}): Promise<PgbenchResult> {
  const bin = await findPgbench();
  const { load } = options;
  if (!bin) {
    return { available: false, load, note: 'pgbench is not installed (Debian: postgresql-contrib / postgresql-15)' };
  }
  const dir = await mkdtemp(join(tmpdir(), 'seatmap-pgbench-'));
  try {
    const args = ['-n', '-c', String(options.clients), '-j', '2', '-T', String(options.seconds)];
    const { stdout } = await run(
      bin,
      [...args, '-l', `--log-prefix=${join(dir, 'tx')}`, '-f', options.scriptPath, options.databaseUrl],
      { timeout: (options.seconds + 60) * 1000, cwd: dir },
    );
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1];
    if (!tps) return { available: true, load, note: `could not read pgbench output: ${stdout.slice(-200)}` };
    // Log lines: client_id transaction_no time_us script_no epoch epoch_us.
    const latencies: number[] = [];
    for (const file of await readdir(dir)) {
      for (const line of (await readFile(join(dir, file), 'utf8')).split('\n')) {
        const us = Number(line.split(' ')[2]);
        if (Number.isFinite(us) && line) latencies.push(us / 1000);
      }
    }
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
    return {
      available: true,
      tps: Number(tps),
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      load,
      note: `pgbench ${args.join(' ')}`,
    };
  } catch (err) {
    return { available: true, load, note: `pgbench failed: ${err instanceof Error ? err.message.slice(0, 200) : err}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
