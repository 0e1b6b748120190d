/**
 * `npm run bench`: each core path beside a raw baseline on this machine, in one run — booking vs pgbench, holds vs
 * redis-benchmark, seat-map GET vs hello world, the 50,000-seat map, the hot seat, and the live engineer's fan-out
 * bench. Writes its section of docs/benchmarks.md. Needs Postgres and Redis (local); see --help.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { Redis } from 'ioredis';
import { benchBooking, benchPgbench } from './bench/booking.ts';
import { benchBookingSql } from './bench/booking-sql.ts';
import { benchFanout } from './bench/fanout.ts';
import { benchHolds, benchIoredis, benchRedisBenchmark } from './bench/holds.ts';
import { benchHotSeat } from './bench/hot-seat.ts';
import { markdownTable, type Row, writeSection } from './bench/report.ts';
import { benchBigMap, benchGet } from './bench/seat-map.ts';
import { adjacentGroups, rowsOf } from './bench/seat-pools.ts';
import { scratchDatabase, startBenchServer, withClient } from './bench/setup.ts';
import { ApiClient } from './loadtest/api.ts';

const HELP = `usage: npm run bench -- [options]

  --clients <n>          concurrency for every path and its baseline (default 16)
  --seconds <s>          length of each timed run (default 10)
  --hot-buyers <n>       buyers racing for the 10 hot seats (default 1000)
  --database-url <url>   Postgres server to make a scratch database on (default $DATABASE_URL or
                         postgres://postgres@127.0.0.1:5432/postgres); the scratch database is dropped at the end
  --redis-url <url>      Redis (default $REDIS_URL or redis://127.0.0.1:6379); keys go under a bench: prefix
  --port <n>             port of the bench server (default 3390)
  --fanout-watchers <l>  watcher counts for bench-fanout (default 1000; "none" skips it)
  --out <file>           markdown file to update (default docs/benchmarks.md); --no-write to only print
  --json <file>          also write the raw results as JSON

The bench server runs with RATE_LIMIT_PER_MINUTE=0 and its own Redis key prefix. Everything (server, load
generator, Postgres, Redis) shares this machine, so run it on an otherwise idle box.`;

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '10' },
    'hot-buyers': { type: 'string', default: '1000' },
    'database-url': { type: 'string' },
    'redis-url': { type: 'string' },
    port: { type: 'string', default: '3390' },
    'fanout-watchers': { type: 'string', default: '1000' },
    out: { type: 'string', default: 'docs/benchmarks.md' },
    'no-write': { type: 'boolean', default: false },
    json: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const clients = Number(values.clients);
const seconds = Number(values.seconds);
const hotBuyers = Number(values['hot-buyers']);
if (![clients, seconds, hotBuyers].every((n) => Number.isInteger(n) && n > 0) || clients > 1000 || seconds > 300) {
  console.error(`bench: --clients (1–1000), --seconds (1–300) and --hot-buyers must be positive integers\n\n${HELP}`);
  process.exit(2);
}
const adminUrl = values['database-url'] ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = values['redis-url'] ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const log = (line: string) => console.error(`[bench] ${line}`);
const fmt = (n: number | undefined, digits = 0) =>
  n === undefined || !Number.isFinite(n) ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: digits });
const ratio = (a: number, b: number | undefined) => (b && Number.isFinite(a) && Number.isFinite(b) ? a / b : null);

async function machine() {
  const [pgVersion, redisVersion] = await Promise.all([
    withClient(
      adminUrl,
      async (c) => (await c.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v.split(' on ')[0],
    ),
    (async () => {
      const r = new Redis(redisUrl);
      try {
        return /redis_version:(\S+)/.exec(await r.info('server'))?.[1] ?? '?';
      } finally {
        r.disconnect();
      }
    })(),
  ]);
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    postgres: pgVersion ?? '?',
    redis: `Redis ${redisVersion}`,
    loadAverageAtStart: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
  };
}

async function dropKeys(prefix: string) {
  const r = new Redis(redisUrl);
  try {
    const stream = r.scanStream({ match: `${prefix}*`, count: 1000 });
    for await (const keys of stream) if ((keys as string[]).length) await r.del(...(keys as string[]));
  } finally {
    r.disconnect();
  }
}

async function findSchedules(api: ApiClient) {
  const found: { id: string; totalSeats: number }[] = [];
  const { concertListSchema, concertDetailSchema, scheduleListSchema } = await import('@seatmap/shared');
  const concerts = await api.call('GET', '/api/concerts', concertListSchema);
  for (const concert of concerts.data?.concerts ?? []) {
    const detail = await api.call('GET', `/api/concerts/${concert.id}`, concertDetailSchema);
    for (const date of detail.data?.dates ?? []) {
      const list = await api.call('GET', `/api/concerts/${concert.id}/schedules?date=${date}`, scheduleListSchema);
      for (const s of list.data?.schedules ?? []) found.push({ id: s.id, totalSeats: s.totalSeats });
    }
  }
  const hall = found.find((s) => s.totalSeats >= 1500 && s.totalSeats <= 3000);
  const stadium = found.find((s) => s.totalSeats >= 40_000);
  if (!hall || !stadium) throw new Error('the demo data (2,000-seat hall, 50,000-seat stadium) was not seeded');
  return { hall: hall.id, stadium: stadium.id };
}

async function main() {
  const info = await machine();
  log(
    `${info.cpus} × ${info.cpuModel}, ${info.node}, ${info.postgres}, ${info.redis}, load ${info.loadAverageAtStart}`,
  );
  const database = await scratchDatabase(adminUrl, 'core');
  const prefix = `bench:core:${randomBytes(4).toString('hex')}:`;
  const port = values.port;
  let server: Awaited<ReturnType<typeof startBenchServer>> | undefined;
  const rows: Row[] = [];
  const raw: Record<string, unknown> = { machine: info, clients, seconds, date: new Date().toISOString() };
  try {
    log(`scratch database ${database.name}; starting the bench server (migrate + demo data)`);
    server = await startBenchServer({
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
      PORT: port,
      SEED_DEMO: 'true',
    });
    const api = new ApiClient(server.url, 60_000);
    const schedules = await findSchedules(api);
    const stadiumMap = (await api.seatMap(schedules.stadium)).data!;
    const stadiumRows = rowsOf(stadiumMap);
    const half = Math.floor(stadiumRows.length / 2);

    log(`seat-map GET (2,000 seats) vs hello world, autocannon -c ${clients} -d ${seconds}`);
    const seatMapPath = `/api/schedules/${schedules.hall}/seats`;
    const map2k = await benchGet(server.url, seatMapPath, clients, seconds);
    const hello = await benchGet(server.url, '/bench/hello', clients, seconds);
    raw.seatMap = { map2k, hello };
    rows.push({
      path: 'seat-map GET, 2,004 seats (req/s)',
      ours: `${fmt(map2k.perSecond)} (p50 ${map2k.p50Ms} ms)`,
      baseline: `${fmt(hello.perSecond)} hello world, same process`,
      ratio: ratio(map2k.perSecond, hello.perSecond),
      target: '≥ 0.25×',
      met: (ratio(map2k.perSecond, hello.perSecond) ?? 0) >= 0.25,
    });

    log('50,000-seat map: time and size');
    const big = await benchBigMap(server.url, `/api/schedules/${schedules.stadium}/seats`, 20);
    raw.bigMap = big;
    rows.push({
      path: 'seat-map GET, 50,000 seats (p50 / p99 ms, 20 sequential)',
      ours: `${fmt(big.latencyMs.p50, 1)} / ${fmt(big.latencyMs.p99, 1)}`,
      baseline: '—',
      ratio: null,
      target: '≤ 100 ms',
      met: big.latencyMs.p50 <= 100,
    });
    rows.push({
      path: 'seat-map body, 50,000 seats',
      ours: `${fmt(big.gzipBytes / 1024)} KiB gzipped${big.serverCompresses ? ` (server sends ${big.contentEncoding})` : ' (server sends it uncompressed)'}`,
      baseline: `${fmt(big.rawBytes / 1024)} KiB raw JSON`,
      ratio: null,
      target: '≤ 1 MB gzipped',
      met: big.gzipBytes <= 1_000_000 && big.serverCompresses,
    });

    log(`holds vs redis-benchmark SET NX PX at -c ${clients}`);
    const holdSeats = stadiumRows.slice(half).flatMap((row) => row.slice(0, Math.max(0, row.length - 2)));
    const holds = await benchHolds({
      url: server.url,
      scheduleId: schedules.stadium,
      seats: holdSeats,
      connections: clients,
      seconds,
    });
    const redisBench = await benchRedisBenchmark(redisUrl, clients, 200_000);
    const ioredisLoop = await benchIoredis(redisUrl, clients, Math.min(seconds, 5));
    raw.holds = { holds, redisBench, ioredisLoop };
    rows.push({
      path: 'hold POST, 1 distinct seat (holds/s)',
      ours: `${fmt(holds.perSecond)} (p50 ${holds.p50Ms} ms, ${holds.refused} refused)`,
      baseline: `${fmt(redisBench.perSecond)} redis-benchmark SET NX PX`,
      ratio: ratio(holds.perSecond, redisBench.perSecond),
      target: '≥ 0.2×',
      met: (ratio(holds.perSecond, redisBench.perSecond) ?? 0) >= 0.2,
    });
    rows.push({
      path: '… same, against a raw ioredis loop',
      ours: fmt(holds.perSecond),
      baseline: `${fmt(ioredisLoop.perSecond)} ioredis SET NX PX, ${clients} loops`,
      ratio: ratio(holds.perSecond, ioredisLoop.perSecond),
      target: '—',
      met: null,
    });

    log(`booking (hold + reserve) vs pgbench at ${clients} clients`);
    const pairs = adjacentGroups(stadiumRows.slice(0, half), 2);
    const booking = await benchBooking({ url: server.url, scheduleId: schedules.stadium, pairs, clients, seconds });
    const pgbench = await benchPgbench({
      databaseUrl: database.url,
      scriptPath: fileURLToPath(new URL('../../shared/bench/booking.pgbench.sql', import.meta.url)),
      clients,
      seconds,
    });
    raw.booking = { booking, pgbench };
    rows.push({
      path: 'booking, 2 distinct seats: hold + reserve (bookings/s)',
      ours: `${fmt(booking.bookingsPerSecond, 1)} (p50 ${fmt(booking.latencyMs.p50)} ms${Object.keys(booking.failures).length ? `, failures ${JSON.stringify(booking.failures)}` : ''})`,
      baseline: pgbench.tps === undefined ? pgbench.note : `${fmt(pgbench.tps, 1)} pgbench TPS`,
      ratio: ratio(booking.bookingsPerSecond, pgbench.tps),
      target: '≥ 0.6×',
      met: pgbench.tps === undefined ? null : (ratio(booking.bookingsPerSecond, pgbench.tps) ?? 0) >= 0.6,
    });

    log("booking SQL alone: today's 6 round trips vs the proposed single statement (pg, pool of 10)");
    const sql = await benchBookingSql({
      databaseUrl: database.url,
      scheduleId: schedules.stadium,
      // Seats the hold bench held in Redis are still available in Postgres, which is all this bench touches.
      pairs: adjacentGroups(stadiumRows.slice(half), 2),
      clients,
      seconds,
    });
    raw.bookingSql = sql;
    rows.push({
      path: 'booking SQL only, today: key lookup + BEGIN, lock, insert, mark, COMMIT (bookings/s)',
      ours: fmt(sql.current.perSecond),
      baseline: pgbench.tps === undefined ? '—' : `${fmt(pgbench.tps, 1)} pgbench TPS`,
      ratio: ratio(sql.current.perSecond, pgbench.tps),
      target: '—',
      met: null,
    });
    rows.push({
      path: 'booking SQL only, proposed: one statement (bookings/s)',
      ours: fmt(sql.oneStatement.perSecond),
      baseline: `${fmt(sql.current.perSecond)} today's sequence`,
      ratio: ratio(sql.oneStatement.perSecond, sql.current.perSecond),
      target: '—',
      met: null,
    });
  } finally {
    await server?.stop();
    await database.drop().catch((err: unknown) => log(`could not drop ${database.name}: ${err}`));
    await dropKeys(prefix);
  }

  // The hot seat gets a database and server of its own: pg_stat_database counts every transaction in a database,
  // so nothing else (earlier steps' late statistics, autovacuum after thousands of bookings) may touch it.
  log(`hot seat: ${hotBuyers} buyers on 10 seats (fresh database and server)`);
  const hotDatabase = await scratchDatabase(adminUrl, 'hot');
  const hotPrefix = `bench:core:${randomBytes(4).toString('hex')}:`;
  let hotServer: Awaited<ReturnType<typeof startBenchServer>> | undefined;
  try {
    hotServer = await startBenchServer({
      DATABASE_URL: hotDatabase.url,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: hotPrefix,
      PORT: String(Number(port) + 1),
      SEED_DEMO: 'false',
    });
    const hot = await benchHotSeat({
      url: hotServer.url,
      databaseUrl: hotDatabase.url,
      adminUrl,
      database: hotDatabase.name,
      buyers: hotBuyers,
      stopServer: () => hotServer!.stop(),
    });
    raw.hotSeat = hot;
    rows.push({
      path: `hot seat: ${hotBuyers} buyers on 10 seats (Postgres transactions ÷ seats sold)`,
      ours: `${fmt(hot.perSeatSold, 2)} (${hot.transactions} tx, ${hot.sold} sold, ${hot.holds409} turned away at the hold)`,
      baseline: '1.00 (one booking transaction per seat)',
      ratio: Number.isFinite(hot.perSeatSold) ? hot.perSeatSold : null,
      target: '≤ 1.1',
      met: hot.perSeatSold <= 1.1,
    });
  } finally {
    await hotServer?.stop();
    await hotDatabase.drop().catch((err: unknown) => log(`could not drop ${hotDatabase.name}: ${err}`));
    await dropKeys(hotPrefix);
  }

  let fanoutLines: string[] = [];
  if (values['fanout-watchers'] !== 'none') {
    log(`fan-out: scripts/bench-fanout.ts --watchers ${values['fanout-watchers']}`);
    const fanout = await benchFanout(values['fanout-watchers']!);
    raw.fanout = fanout;
    fanoutLines = fanout.ran ? fanout.lines : [fanout.note];
  }

  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const section = [
    '## Core paths (`npm run bench`)',
    '',
    `Measured ${date} UTC on ${info.cpus} × ${info.cpuModel} (nproc ${info.cpus}), ${info.node}, ${info.postgres}, ${info.redis}; load average at start ${info.loadAverageAtStart}. Concurrency ${clients} for each path and its baseline; ${seconds} s per timed run. Server, load generator, Postgres and Redis share the machine.`,
    '',
    markdownTable(rows),
    '',
    "**Fan-out** (the live seat map's own bench, `npm run bench:fanout`; its full table is in the Fan-out section below):",
    '',
    ...(fanoutLines.length ? fanoutLines.map((l) => `- ${l}`) : ['- not run']),
    '',
    'Rerun: `npm run bench` (Postgres and Redis on 127.0.0.1; `npm run bench -- --help` for options). It makes and drops a scratch database, runs the real server as a child process with `RATE_LIMIT_PER_MINUTE=0` and its own Redis prefix, and rewrites only this section.',
  ].join('\n');

  console.log(`\n${section}\n`);
  if (!values['no-write']) {
    await writeSection(values.out!, section);
    // The repo lints markdown with Biome; keep the generated tables in its format so `npm run lint` stays green.
    await promisify(execFile)('npx', ['biome', 'format', '--write', values.out!]).catch(() => {});
    log(`wrote ${values.out}`);
  }
  if (values.json) await writeFile(values.json, `${JSON.stringify(raw, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
