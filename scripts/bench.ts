/**
 * `npm run bench`: the core paths beside raw baselines on this machine, in one run (issue #12) — hold (1 and 2
 * seats, 50 concurrent) against the trivial route of the same server; booking (16 and 64 concurrent) against
 * pgbench of the seed-shaped SQL; /status and /seats GET (br, gzip) against a bare node:http server sending the
 * same bytes; the hot seat (transactions per seat sold); for 1 and 2 cluster workers. p50/p99 and the load average
 * with every row. Writes its section of docs/benchmarks.md. Needs Postgres and Redis (local); see --help.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { type Arena, createArena } from './bench/arena.ts';
import { benchBooking, benchPgbench, preparePgbench } from './bench/booking.ts';
import { withCpu } from './bench/cpu.ts';
import { benchHotSeat } from './bench/hot-seat.ts';
import { benchGet, benchHolds, interleavedGroups, type Throughput } from './bench/http.ts';
import { markdownTable, type Row, writeSection } from './bench/report.ts';
import { benchBigMap, get } from './bench/seat-map.ts';
import { scratchDatabase, startServer, withClient } from './bench/setup.ts';

const HELP = `usage: npm run bench -- [options]

  --seconds <s>          length of each timed run (default 3; the box is shared, keep it short)
  --workers <list>       cluster worker counts to measure, comma-separated (default 1,2)
  --hot-buyers <n>       buyers racing for the 10 hot seats (default 1000)
  --database-url <url>   Postgres server to make scratch databases on (default $DATABASE_URL or
                         postgres://postgres@127.0.0.1:5432/postgres); they are dropped at the end
  --redis-url <url>      Redis (default $REDIS_URL or redis://127.0.0.1:6379); keys go under a bench: prefix
  --port <n>             first port of the bench servers (default 3390; uses 3 ports)
  --server-root <dir>    checkout whose server/src/main.ts is measured (default this one), e.g. a worktree of
                         main for a before/after in the same conditions
  --out <file>           markdown file to update (default docs/benchmarks.md); --no-write to only print
  --json <file>          also write the raw results as JSON

Concurrency is the issue's: 50 for holds, GETs and the trivial route; 16 and 64 for bookings and pgbench.
The servers run as \`npm start\` does (request logging as configured) with RATE_LIMIT_PER_MINUTE=0 and their own
Redis prefix. Everything shares this machine: the load average is reported with every row.`;

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    workers: { type: 'string', default: '1,2' },
    'hot-buyers': { type: 'string', default: '1000' },
    'database-url': { type: 'string' },
    'redis-url': { type: 'string' },
    port: { type: 'string', default: '3390' },
    'server-root': { type: 'string' },
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
const seconds = Number(values.seconds);
const hotBuyers = Number(values['hot-buyers']);
const workerCounts = values.workers.split(',').map(Number);
if (
  ![seconds, hotBuyers].every((n) => Number.isInteger(n) && n > 0) ||
  seconds > 120 ||
  !workerCounts.every((n) => Number.isInteger(n) && n >= 1 && n <= 16)
) {
  console.error(
    `bench: --seconds (1–120), --hot-buyers and --workers (1–16 each) must be positive integers\n\n${HELP}`,
  );
  process.exit(2);
}
const HOLD_CLIENTS = 50;
const GET_CLIENTS = 50;
const BOOKING_CLIENTS = [1, 16, 64];
/** Generous upper bounds, to make enough seats for a run (a run that runs out says so). */
const MAX_HOLDS_PER_SECOND_PER_WORKER = 9000;
const MAX_BOOKINGS_PER_SECOND_PER_WORKER = 2500;
const SEATS_PER_ROW = 50;

const serverRoot = values['server-root'] ?? fileURLToPath(new URL('..', import.meta.url));
const adminUrl = values['database-url'] ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = values['redis-url'] ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const basePort = Number(values.port);
const pgbenchScript = fileURLToPath(new URL('./bench/booking.pgbench.sql', import.meta.url));
const log = (line: string) => console.error(`[bench] ${line}`);
const load = () => loadavg()[0]!;
const ratio = (a: number | undefined, b: number | undefined) =>
  a !== undefined && b && Number.isFinite(a) && Number.isFinite(b) ? a / b : null;

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

/** The demo hall (2,004 seats) and stadium (50,000) by their seat counts. */
async function demoSchedules(databaseUrl: string) {
  const { rows } = await withClient(databaseUrl, (c) =>
    c.query<{ id: string; n: number }>('SELECT schedule_id AS id, count(*)::int AS n FROM seats GROUP BY 1'),
  );
  const hall = rows.find((r) => r.n >= 1500 && r.n <= 3000);
  const stadium = rows.find((r) => r.n >= 40_000);
  if (!hall || !stadium) throw new Error('the demo data (2,004-seat hall, 50,000-seat stadium) was not seeded');
  return { hall: hall.id, stadium: stadium.id };
}

/** The baseline for the cached GETs: node:http in its own process, answering with `responses`. */
async function startBare(port: number, responses: { path: string; headers: Record<string, string>; body: string }[]) {
  const child: ChildProcess = fork(fileURLToPath(new URL('./bench/bare-server.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`bare server exited (${code})`)));
    child.send({ port, responses });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Captures what our server sends a browser (Accept-Encoding: br, gzip) for `path`, to replay from the bare server. */
async function captured(url: string, path: string) {
  const res = await get(url + path, { 'accept-encoding': 'br, gzip' });
  const keep = ['content-type', 'content-encoding', 'vary', 'cache-control'];
  const headers: Record<string, string> = {};
  for (const name of keep) if (typeof res.headers[name] === 'string') headers[name] = res.headers[name] as string;
  return { path, headers, body: res.body.toString('base64'), bytes: res.body.length, encoding: res.encoding };
}

const BROWSER = { 'accept-encoding': 'br, gzip' };

type Cpu = { cpuMsPerOp?: number };
interface WorkerRun {
  workers: number;
  trivial: Throughput & Cpu;
  hold1: Throughput & { ranOut: boolean } & Cpu;
  hold2: Throughput & { ranOut: boolean } & Cpu;
  booking: (Awaited<ReturnType<typeof benchBooking>> & Cpu)[];
  pgbench: Awaited<ReturnType<typeof benchPgbench>>[];
  status: Throughput & Cpu;
  seats: Throughput & Cpu;
  bareStatus: Throughput & Cpu;
  bareSeats: Throughput & Cpu;
  bigMap: Awaited<ReturnType<typeof benchBigMap>>;
}

function failuresNote(failures: Record<string, number>) {
  const entries = Object.entries(failures);
  return entries.length ? entries.map(([k, n]) => `${n}× ${k.trim()}`).join(', ') : '';
}

function rowsOf(run: WorkerRun): Row[] {
  const w = `${run.workers} worker${run.workers > 1 ? 's' : ''}`;
  const trivial = { name: '`/health/live`, same server', ...run.trivial, cpuMs: run.trivial.cpuMsPerOp };
  const holdRow = (seats: number, t: Throughput & { ranOut: boolean } & Cpu): Row => {
    const r = ratio(t.perSecond, run.trivial.perSecond);
    const notes = [t.non2xx ? `${t.non2xx} not 2xx` : '', t.ranOut ? 'ran out of seats' : ''].filter(Boolean);
    return {
      path: `${w}: hold POST, ${seats} seat${seats > 1 ? 's' : ''}, ${HOLD_CLIENTS} concurrent (holds/s)`,
      ours: { ...t, cpuMs: t.cpuMsPerOp, note: notes.join(', ') || undefined },
      baseline: trivial,
      ratio: r,
      target: '≥ 0.5×, p99 ≤ 10 ms',
      met: r !== null && r >= 0.5 && t.p99Ms <= 10,
      load: t.load,
    };
  };
  const rows: Row[] = [holdRow(1, run.hold1), holdRow(2, run.hold2)];
  run.booking.forEach((b, i) => {
    const pg = run.pgbench[i]!;
    const r = ratio(b.bookingsPerSecond, pg.tps);
    rows.push({
      path: `${w}: booking (hold + reserve, 2 seats), ${b.clients} concurrent (bookings/s)`,
      ours: {
        perSecond: b.bookingsPerSecond,
        cpuMs: b.cpuMsPerOp,
        p50Ms: b.latencyMs.p50,
        p99Ms: b.latencyMs.p99,
        note: [`hold p50 ${b.holdMs.p50} + reserve p50 ${b.reserveMs.p50} ms`, failuresNote(b.failures)]
          .filter(Boolean)
          .join('; '),
      },
      baseline: {
        name: pg.tps === undefined ? pg.note : `pgbench -c ${b.clients}, seed-shaped SQL`,
        perSecond: pg.tps,
        p50Ms: pg.p50Ms,
        p99Ms: pg.p99Ms,
      },
      ratio: r,
      target: '≥ 0.5×',
      met: r === null ? null : r >= 0.5,
      load: b.load,
    });
  });
  for (const [name, ours, bare] of [
    ['`/status`', run.status, run.bareStatus],
    ['`/seats`', run.seats, run.bareSeats],
  ] as const) {
    const r = ratio(ours.perSecond, bare.perSecond);
    rows.push({
      path: `${w}: ${name} GET, 2,004-seat hall, br/gzip, ${GET_CLIENTS} concurrent (req/s)`,
      ours: { ...ours, cpuMs: ours.cpuMsPerOp, note: ours.non2xx ? `${ours.non2xx} not 2xx` : undefined },
      baseline: { name: 'bare node:http, same bytes', ...bare, cpuMs: bare.cpuMsPerOp },
      ratio: r,
      target: '≥ 0.7×',
      met: r !== null && r >= 0.7,
      load: ours.load,
    });
  }
  rows.push({
    path: `${w}: \`/seats\` GET, 50,000 seats, 20 sequential (p50 / p99)`,
    ours: { p50Ms: run.bigMap.latencyMs.p50, p99Ms: run.bigMap.latencyMs.p99, note: `${run.bigMap.contentEncoding}` },
    baseline: { name: '—' },
    ratio: null,
    target: 'p50 ≤ 100 ms',
    met: run.bigMap.latencyMs.p50 <= 100,
    load: run.trivial.load,
  });
  return rows;
}

async function measureWorkers(
  workers: number,
  database: { url: string },
  prefix: string,
  seed: boolean,
): Promise<{ run: WorkerRun; bytes: { status: number; seats: number; encoding: string | null } }> {
  log(`${workers} worker(s): starting the server (${seed ? 'migrate + demo data' : 'same database'})`);
  const server = await startServer(serverRoot, {
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
    PORT: String(basePort),
    SEED_DEMO: String(seed),
    WORKERS: String(workers),
  });
  let bare: Awaited<ReturnType<typeof startBare>> | undefined;
  try {
    const demo = await demoSchedules(database.url);
    const singles = (rows: number) => createArena(database.url, rows, SEATS_PER_ROW);
    const perWorker = (n: number) => Math.ceil(n * workers * seconds);
    const [warmArena, hold1Arena, hold2Arena, ...bookingArenas] = await Promise.all([
      singles(Math.ceil((MAX_HOLDS_PER_SECOND_PER_WORKER * workers) / (SEATS_PER_ROW - 2))),
      singles(Math.ceil(perWorker(MAX_HOLDS_PER_SECOND_PER_WORKER) / (SEATS_PER_ROW - 2))),
      singles(Math.ceil((perWorker(MAX_HOLDS_PER_SECOND_PER_WORKER) * 2) / SEATS_PER_ROW)),
      ...BOOKING_CLIENTS.map(() =>
        singles(Math.ceil((perWorker(MAX_BOOKINGS_PER_SECOND_PER_WORKER) * 2) / SEATS_PER_ROW)),
      ),
    ]);
    // Warm up like a node in a running sale: layouts cached (every worker), connections open, code optimised.
    const arenas: Arena[] = [warmArena!, hold1Arena!, hold2Arena!, ...bookingArenas];
    for (let i = 0; i < 4 * workers; i++) {
      await Promise.all(
        [...arenas.map((a) => a.scheduleId), demo.hall].map((id) =>
          fetch(`${server.url}/api/schedules/${id}/status`).then((r) => r.arrayBuffer()),
        ),
      );
    }
    await benchGet(server.url, '/health/live', HOLD_CLIENTS, 1);
    const statusPath = `/api/schedules/${demo.hall}/status`;
    const seatsPath = `/api/schedules/${demo.hall}/seats`;
    const status = await captured(server.url, statusPath);
    const seatsBody = await captured(server.url, seatsPath);
    bare = await startBare(basePort + 2, [status, seatsBody]);

    log(`${workers} worker(s): trivial route and holds, ${HOLD_CLIENTS} concurrent, ${seconds} s each`);
    const trivial = await withCpu(
      server.process.pid,
      () => benchGet(server.url, '/health/live', HOLD_CLIENTS, seconds, {}, load()),
      (r) => r.ok,
    );
    await benchHolds({
      url: server.url,
      scheduleId: warmArena!.scheduleId,
      groups: interleavedGroups(warmArena!.rows, 1),
      connections: HOLD_CLIENTS,
      seconds: 1,
      load: 0,
    });
    const hold1 = await withCpu(
      server.process.pid,
      () =>
        benchHolds({
          url: server.url,
          scheduleId: hold1Arena!.scheduleId,
          groups: interleavedGroups(hold1Arena!.rows, 1),
          connections: HOLD_CLIENTS,
          seconds,
          load: load(),
        }),
      (r) => r.ok,
    );
    const hold2 = await withCpu(
      server.process.pid,
      () =>
        benchHolds({
          url: server.url,
          scheduleId: hold2Arena!.scheduleId,
          groups: interleavedGroups(hold2Arena!.rows, 2),
          connections: HOLD_CLIENTS,
          seconds,
          load: load(),
        }),
      (r) => r.ok,
    );

    const booking: WorkerRun['booking'] = [];
    const pgbench: WorkerRun['pgbench'] = [];
    for (const [i, clients] of BOOKING_CLIENTS.entries()) {
      log(`${workers} worker(s): booking vs pgbench at ${clients} concurrent`);
      pgbench.push(
        await benchPgbench({ databaseUrl: database.url, scriptPath: pgbenchScript, clients, seconds, load: load() }),
      );
      booking.push(
        await withCpu(
          server.process.pid,
          () =>
            benchBooking({
              url: server.url,
              scheduleId: bookingArenas[i]!.scheduleId,
              groups: interleavedGroups(bookingArenas[i]!.rows, 2),
              clients,
              seconds,
              load: load(),
              warmupSeconds: 1,
            }),
          (r) => r.bookings,
        ),
      );
    }

    log(`${workers} worker(s): cached GETs vs bare node:http (${status.encoding ?? 'identity'})`);
    const get = (pid: number | undefined, url: string, path: string) =>
      withCpu(
        pid,
        () => benchGet(url, path, GET_CLIENTS, seconds, BROWSER, load()),
        (r) => r.ok,
      );
    const bareStatus = await get(bare.pid, bare.url, statusPath);
    const ourStatus = await get(server.process.pid, server.url, statusPath);
    const bareSeats = await get(bare.pid, bare.url, seatsPath);
    const ourSeats = await get(server.process.pid, server.url, seatsPath);
    const bigMap = await benchBigMap(server.url, `/api/schedules/${demo.stadium}/seats`, 20);
    return {
      run: {
        workers,
        trivial,
        hold1,
        hold2,
        booking,
        pgbench,
        status: ourStatus,
        seats: ourSeats,
        bareStatus,
        bareSeats,
        bigMap,
      },
      bytes: { status: status.bytes, seats: seatsBody.bytes, encoding: status.encoding },
    };
  } finally {
    await bare?.stop();
    await server.stop();
  }
}

async function main() {
  const info = await machine();
  log(
    `${info.cpus} × ${info.cpuModel}, ${info.node}, ${info.postgres}, ${info.redis}, load ${info.loadAverageAtStart}`,
  );
  log(`measuring ${serverRoot}`);
  const database = await scratchDatabase(adminUrl, 'core');
  const prefix = `bench:core:${randomBytes(4).toString('hex')}:`;
  const runs: WorkerRun[] = [];
  let bytes: Awaited<ReturnType<typeof measureWorkers>>['bytes'] | undefined;
  const raw: Record<string, unknown> = { machine: info, seconds, date: new Date().toISOString(), serverRoot };
  try {
    await preparePgbench(database.url);
    for (const [i, workers] of workerCounts.entries()) {
      const measured = await measureWorkers(workers, database, prefix, i === 0);
      runs.push(measured.run);
      bytes ??= measured.bytes;
    }
  } finally {
    await database.drop().catch((err: unknown) => log(`could not drop ${database.name}: ${err}`));
    await dropKeys(prefix);
  }
  raw.runs = runs;
  if (values.json) await writeFile(values.json, JSON.stringify(raw, null, 2));

  // The hot seat gets a database and server of its own: pg_stat_database counts every transaction in a database,
  // so nothing else (earlier steps' late statistics, autovacuum after thousands of bookings) may touch it.
  log(`hot seat: ${hotBuyers} buyers on 10 seats (fresh database and server)`);
  const hotDatabase = await scratchDatabase(adminUrl, 'hot');
  const hotPrefix = `bench:core:${randomBytes(4).toString('hex')}:`;
  let hotServer: Awaited<ReturnType<typeof startServer>> | undefined;
  let hotRow: Row = {
    path: `hot seat: ${hotBuyers} buyers on 10 seats (Postgres transactions ÷ seats sold)`,
    ours: { note: 'not measured' },
    baseline: { name: '1 transaction per seat sold' },
    ratio: null,
    target: '≤ 1.1',
    met: null,
    load: load(),
  };
  try {
    hotServer = await startServer(serverRoot, {
      DATABASE_URL: hotDatabase.url,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: hotPrefix,
      PORT: String(basePort + 1),
      SEED_DEMO: 'false',
      WORKERS: '1',
      // The waiting room re-reads its settings every second, a transaction each: not the booking path's.
      QUEUE_CONFIG_REFRESH_MS: '60000',
    });
    const hotLoad = load();
    const hot = await benchHotSeat({
      url: hotServer.url,
      databaseUrl: hotDatabase.url,
      adminUrl,
      database: hotDatabase.name,
      buyers: hotBuyers,
      stopServer: () => hotServer!.stop(),
    });
    raw.hotSeat = hot;
    hotRow = {
      path: `hot seat: ${hotBuyers} buyers on 10 seats (Postgres transactions ÷ seats sold)`,
      ours: {
        note: `${hot.perSeatSold.toFixed(2)}: ${hot.transactions} tx (+ ${hot.logins} pool logins), ${hot.sold} sold, ${hot.holds409} turned away at the hold`,
      },
      baseline: { name: '1 transaction per seat sold' },
      ratio: Number.isFinite(hot.perSeatSold) ? hot.perSeatSold : null,
      target: '≤ 1.1',
      met: hot.perSeatSold <= 1.1,
      load: hotLoad,
    };
  } catch (err) {
    log(`hot seat failed: ${err instanceof Error ? err.message : err}`);
    hotRow.ours = { note: `failed: ${err instanceof Error ? err.message.slice(0, 160) : err}` };
  } finally {
    await hotServer?.stop();
    await hotDatabase.drop().catch((err: unknown) => log(`could not drop ${hotDatabase.name}: ${err}`));
    await dropKeys(hotPrefix);
  }

  const scaling: string[] = [];
  const one = runs.find((r) => r.workers === 1);
  for (const other of runs.filter((r) => r.workers > 1)) {
    if (!one) break;
    const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    scaling.push(
      `- ${other.workers} workers ÷ 1: trivial route ${x(other.trivial.perSecond, one.trivial.perSecond)}, hold (1 seat) ${x(other.hold1.perSecond, one.hold1.perSecond)}, hold (2 seats) ${x(other.hold2.perSecond, one.hold2.perSecond)}, ` +
        other.booking
          .map((b, i) => `booking @${b.clients} ${x(b.bookingsPerSecond, one.booking[i]!.bookingsPerSecond)}`)
          .join(', ') +
        `, /status ${x(other.status.perSecond, one.status.perSecond)}, /seats ${x(other.seats.perSecond, one.seats.perSecond)}`,
    );
  }

  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const section = [
    '## Core paths (`npm run bench`)',
    '',
    `Measured ${date} UTC on ${info.cpus} × ${info.cpuModel}, ${info.node}, ${info.postgres}, ${info.redis}; load average at start ${info.loadAverageAtStart} (the \`load\` column: 1-minute load average when that row's runs began). ${seconds} s per timed run; every row's ratio is against a baseline measured next to it. Server, load generator, Postgres and Redis share the machine.${bytes ? ` The hall's \`/status\` is ${bytes.status} bytes and its \`/seats\` ${bytes.seats} bytes as sent (${bytes.encoding ?? 'identity'}).` : ''}`,
    '',
    markdownTable([...runs.flatMap(rowsOf), hotRow]),
    '',
    ...scaling,
    ...(scaling.length ? [''] : []),
    'Rerun: `npm run bench` (Postgres and Redis on 127.0.0.1; `npm run bench -- --help` for options). It makes and drops scratch databases, starts the server as `npm start` does (`WORKERS=n`, `RATE_LIMIT_PER_MINUTE=0`, its own Redis prefix), and rewrites only this section.',
  ].join('\n');

  console.log(section);
  if (!values['no-write']) {
    await writeSection(values.out, section);
    log(`wrote ${values.out}`);
  }
  if (values.json) await writeFile(values.json, JSON.stringify(raw, null, 2));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
