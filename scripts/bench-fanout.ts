/**
 * Fan-out at on-sale scale (`npm run bench:fanout`; SPEC §9, issue #9). The 50,000-seat stadium of the demo data on
 * N real server nodes (child processes, one Postgres database, one Redis prefix); F plain-feed and S Socket.IO
 * watchers spread over the nodes, in child processes; R seat changes a second for T seconds made through the HTTP
 * API (holds and releases, alternating nodes). Then, in the same run, the same change timeline broadcast by N bare
 * `ws` servers to the same number of watchers: the baseline.
 *
 * Reports delivery % (of every watcher × version after its snapshot), lag p50/p99 (from the moment the change was
 * requested to its arrival), gaps, memory per connection, snapshot bytes and CPU per new feed connection, with the
 * targets of issue #9, and appends the table to docs/benchmarks.md (--no-write to skip). 127.0.0.1 only; take the
 * bench lock on a shared machine: `flock /work/coord/bench.lock npm run bench:fanout`.
 * `--redis-cluster local` runs the nodes on a local 3-master Redis Cluster started for the run (ports 7181-7183,
 * no replicas: the same Redis work as one Redis, spread over three), `--redis-cluster host:port,…` on a running one
 * (SPEC §14); the report says which.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { SeatStatus } from '@seatmap/shared';
import { Cluster, Redis } from 'ioredis';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';
import { parseClusterNodes } from '../server/src/holds/redis-client.ts';
import { deleteKeys } from './loadtest/redis-keys.ts';
import { type RedisClusterServer, startRedisCluster } from './redis-cluster.ts';

const { values } = parseArgs({
  options: {
    feed: { type: 'string', default: '5000' },
    socketio: { type: 'string', default: '5000' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '30' },
    nodes: { type: 'string', default: '2' },
    procs: { type: 'string', default: '4' },
    'window-ms': { type: 'string', default: '40' },
    'connect-timeout-s': { type: 'string', default: '60' },
    'drain-s': { type: 'string', default: '30' },
    database: { type: 'string', default: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    redis: { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    'redis-cluster': { type: 'string', default: '' },
    label: { type: 'string', default: '' },
    'cpu-prof-dir': { type: 'string', default: '' },
    'no-write': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(
    'usage: npm run bench:fanout -- [--feed 5000] [--socketio 5000] [--rate 200] [--seconds 30] [--nodes 2]\n' +
      '       [--procs 4] [--window-ms 40] [--connect-timeout-s 60] [--drain-s 30] [--label text] [--no-write]\n' +
      '       [--redis-cluster local|host:port,…]  (a Redis Cluster instead of --redis: started here, or running)\n' +
      '       [--cpu-prof-dir dir]  (V8 CPU profiles of the server nodes, written when they exit)',
  );
  process.exit(0);
}
const feedCount = int('feed', 0, 20_000);
const socketIoCount = int('socketio', 0, 20_000);
const rate = int('rate', 1, 5_000);
const seconds = int('seconds', 1, 300);
const nodeCount = int('nodes', 1, 8);
const procs = int('procs', 1, 16);
const windowMs = int('window-ms', 0, 1000);
const connectTimeoutMs = int('connect-timeout-s', 1, 600) * 1000;
const drainMs = int('drain-s', 1, 600) * 1000;
const clusterArg = values['redis-cluster'];
const hosts = [
  new URL(values.database).hostname,
  ...(clusterArg && clusterArg !== 'local'
    ? parseClusterNodes(clusterArg).map((n) => n.host)
    : [new URL(values.redis).hostname]),
];
for (const host of hosts) {
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host)) {
    throw new Error('bench:fanout only targets local services (127.0.0.1)');
  }
}

function int(name: keyof typeof values, min: number, max: number): number {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name}: an integer from ${min} to ${max}`);
  return n;
}

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const here = (file: string) => new URL(file, import.meta.url).pathname;
const log = (line: string) => console.log(`[bench:fanout] ${line}`);
const uptime = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

// ---------------------------------------------------------------------------------------------- child processes

interface Child {
  process: ChildProcess;
  next(type: string): Promise<Record<string, unknown>>;
  send(message: unknown): void;
}

function spawnChild(file: string, env: NodeJS.ProcessEnv = process.env, extraArgs: string[] = []): Child {
  const child = fork(here(file), [], {
    execArgv: ['--import', 'tsx', ...extraArgs],
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  const waiting = new Map<string, ((m: Record<string, unknown>) => void)[]>();
  const queued = new Map<string, Record<string, unknown>[]>();
  child.on('message', (m: Record<string, unknown>) => {
    const type = String(m.type);
    if (type === 'error') console.error(`[bench:fanout] child ${file}: ${m.message}`);
    const resolve = waiting.get(type)?.shift();
    if (resolve) resolve(m);
    else queued.set(type, [...(queued.get(type) ?? []), m]);
  });
  child.on('exit', (code, signal) => {
    if (code !== 0 && code !== null) console.error(`[bench:fanout] child ${file} exited ${code ?? signal}`);
  });
  return {
    process: child,
    send: (message) => child.send(message as never),
    next(type) {
      const ready = queued.get(type)?.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve) => waiting.set(type, [...(waiting.get(type) ?? []), resolve]));
    },
  };
}

interface NodeStats {
  rss: number;
  heapUsed: number;
  cpuMs: number;
  /** Worst node's event-loop delay since the previous `stats` (ms); absent for the bare servers. */
  loop?: { p99: number; max: number };
}

async function stats(nodes: Child[]): Promise<NodeStats> {
  const all = await Promise.all(
    nodes.map((n) => {
      n.send({ type: 'stats' });
      return n.next('stats') as unknown as Promise<NodeStats>;
    }),
  );
  return all.reduce(
    (a, b) => ({
      rss: a.rss + b.rss,
      heapUsed: a.heapUsed + b.heapUsed,
      cpuMs: a.cpuMs + b.cpuMs,
      loop: { p99: Math.max(a.loop!.p99, b.loop?.p99 ?? 0), max: Math.max(a.loop!.max, b.loop?.max ?? 0) },
    }),
    { rss: 0, heapUsed: 0, cpuMs: 0, loop: { p99: 0, max: 0 } },
  );
}

// ---------------------------------------------------------------------------------------------- watchers

type Kind = 'feed' | 'socketio' | 'bare';
const BUCKET_MS = 0.5;

interface Measured {
  watchers: number;
  /** Messages that brought something new, over every watcher. */
  messages: number;
  delivered: number;
  expected: number;
  gaps: number;
  p50: number;
  p99: number;
  max: number;
}

function createWatcherPool(count: number) {
  const children = Array.from({ length: count }, () => spawnChild('./bench-fanout-watchers.ts'));
  const share = (total: number, i: number) => Math.floor(total / count) + (i < total % count ? 1 : 0);
  return {
    async started() {
      await Promise.all(children.map((c) => c.next('started')));
    },
    async open(kind: Kind, urls: string[], total: number, scheduleId: string, inFlight: number) {
      const deadline = Date.now() + connectTimeoutMs;
      const replies = await Promise.all(
        children.map((c, i) => {
          // Each process spreads its watchers over every node, starting at a different one.
          const rotated = urls.map((_, k) => urls[(k + i) % urls.length]!);
          c.send({ type: 'open', kind, urls: rotated, count: share(total, i), scheduleId, inFlight, deadline });
          return c.next('opened');
        }),
      );
      return {
        ready: replies.reduce((n, r) => n + Number(r.ready), 0),
        failed: replies.reduce((n, r) => n + Number(r.failed), 0),
        bytes: Math.max(...replies.map((r) => Number(r.bytes))),
      };
    },
    async reached(kind: Kind, target: number) {
      const replies = await Promise.all(
        children.map((c) => {
          c.send({ type: 'progress', kind, target });
          return c.next('progress');
        }),
      );
      return replies.reduce((n, r) => n + Number(r.reached), 0);
    },
    async drain(kind: Kind, target: number, watchers: number) {
      const until = Date.now() + drainMs;
      while (Date.now() < until && (await this.reached(kind, target)) < watchers) await sleep(250);
    },
    async measure(kind: Kind, times: Float64Array, from: number, to: number): Promise<Measured> {
      const replies = await Promise.all(
        children.map((c) => {
          c.send({ type: 'report', kind, times: Array.from(times), from, to });
          return c.next('report');
        }),
      );
      const histogram = new Map<number, number>();
      let timed = 0;
      for (const r of replies) {
        timed += Number(r.timed);
        for (const [bucket, n] of r.histogram as [number, number][])
          histogram.set(bucket, (histogram.get(bucket) ?? 0) + n);
      }
      const buckets = [...histogram].sort((a, b) => a[0] - b[0]);
      const pct = (p: number) => {
        let seen = 0;
        for (const [bucket, n] of buckets) {
          seen += n;
          if (seen >= p * timed) return (bucket + 0.5) * BUCKET_MS;
        }
        return Number.NaN;
      };
      const watchers = replies.reduce((n, r) => n + Number(r.watchers), 0);
      return {
        watchers,
        messages: replies.reduce((n, r) => n + Number(r.messages), 0),
        delivered: replies.reduce((n, r) => n + Number(r.delivered), 0),
        expected: watchers * (to - from),
        gaps: replies.reduce((n, r) => n + Number(r.gaps), 0),
        p50: pct(0.5),
        p99: pct(0.99),
        max: buckets.length ? (buckets.at(-1)![0] + 0.5) * BUCKET_MS : Number.NaN,
      };
    },
    /** CPU time of every watcher process so far (the tester's share of the machine). */
    async cpuMs() {
      const replies = await Promise.all(
        children.map((c) => {
          c.send({ type: 'cpu' });
          return c.next('cpu');
        }),
      );
      return replies.reduce((n, r) => n + Number(r.cpuMs), 0);
    },
    async close() {
      await Promise.all(
        children.map((c) => {
          c.send({ type: 'close' });
          return c.next('closed');
        }),
      );
    },
    exit() {
      for (const c of children) c.send({ type: 'exit' });
    },
  };
}

// ---------------------------------------------------------------------------------------------- HTTP helpers

/** Status and raw (still encoded) body size of a GET. */
function rawGet(url: string, encoding: string): Promise<{ status: number; bytes: number; head: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { 'accept-encoding': encoding } }, (res) => {
      let bytes = 0;
      let head = '';
      res.on('data', (chunk: Buffer) => {
        if (head.length < 200 && encoding === 'identity') head += chunk.subarray(0, 200).toString();
        bytes += chunk.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, head }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Size of a plain feed's first message. */
function feedSnapshotBytes(url: string, scheduleId: string, query = ''): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/schedules/${scheduleId}/live${query}`, {
      perMessageDeflate: false,
    });
    ws.once('message', (data: Buffer) => {
      resolve(data.length);
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

async function currentVersion(url: string, scheduleId: string): Promise<number> {
  const { head } = await rawGet(`${url}/api/schedules/${scheduleId}/seats`, 'identity');
  return Number(/"version":(\d+)/.exec(head)?.[1] ?? Number.NaN);
}

// ---------------------------------------------------------------------------------------------- the run

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
const startLoad = uptime();
log(`${machine}; load average ${startLoad} (shared machine: other engineers' tests may be running)`);
log(
  `${feedCount} feed + ${socketIoCount} Socket.IO watchers on ${nodeCount} nodes, ${rate} changes/s for ${seconds} s, ` +
    `BROADCAST_WINDOW_MS=${windowMs}, watchers in ${procs} processes`,
);

// One Redis, or a Redis Cluster (started for this run with `local`).
let localCluster: RedisClusterServer | null = null;
if (clusterArg === 'local') {
  localCluster = await startRedisCluster({ masters: 3, replicas: 0, firstPort: 7181, blocks: 1 });
  log(`local Redis Cluster: ${localCluster.nodes}`);
}
const clusterNodes = localCluster?.nodes ?? clusterArg;
const redisWhere = clusterNodes ? `a ${localCluster ? 'local 3-master ' : ''}Redis Cluster` : 'one Redis';
const redisEnv = clusterNodes ? { REDIS_URL: '', REDIS_CLUSTER_NODES: clusterNodes } : { REDIS_URL: values.redis };

const dbName = `seatmap_bench_fanout_${randomBytes(4).toString('hex')}`;
const prefix = `bench:fanout:${randomBytes(4).toString('hex')}:`;
const adminUrl = new URL(values.database);
const admin = new pg.Client({ connectionString: adminUrl.toString() });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
await admin.end();
const dbUrl = new URL(adminUrl.toString());
dbUrl.pathname = `/${dbName}`;

const nodes: Child[] = [];
const bare: Child[] = [];
const pool = createWatcherPool(procs);
const monitors: Socket[] = [];

async function cleanup() {
  for (const m of monitors) m.disconnect();
  pool.exit();
  for (const server of bare) server.send({ type: 'close' });
  await Promise.all(
    nodes.map(async (n) => {
      n.send({ type: 'close' });
      await new Promise((r) => n.process.once('exit', r));
    }),
  );
  const c = new pg.Client({ connectionString: adminUrl.toString() });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await c.end();
  if (localCluster) {
    await localCluster.stop();
    return;
  }
  const redis = clusterNodes ? new Cluster(parseClusterNodes(clusterNodes)) : new Redis(values.redis);
  await deleteKeys(redis, prefix);
  await redis.quit();
}

try {
  // Nodes: the first migrates and seeds the demo data (the stadium among it), then the others start.
  const env = {
    ...process.env,
    NODE_ENV: 'development',
    DATABASE_URL: dbUrl.toString(),
    ...redisEnv,
    REDIS_KEY_PREFIX: prefix,
    RATE_LIMIT_PER_MINUTE: '0',
    ORPHAN_RULE: 'off',
    BROADCAST_WINDOW_MS: String(windowMs),
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'true',
    // Every watcher of this bench comes from 127.0.0.1: per-address limits off.
    MAX_CONNECTIONS_PER_IP: '1000000',
    LIVE_CONNECTS_PER_MINUTE: '0',
    // …and so does every change request: the hold cap per address off.
    MAX_HELD_SEATS_PER_CLIENT: '0',
    // Measuring the fan-out under full load: the change requests must not be shed.
    SHED_EVENT_LOOP_DELAY_MS: '0',
  };
  const urls: string[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const prof = values['cpu-prof-dir'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof-dir']}`] : [];
    const node = spawnChild('./bench-fanout-node.ts', env, ['--expose-gc', ...prof]);
    nodes.push(node);
    urls.push(`http://127.0.0.1:${(await node.next('ready')).port}`);
  }
  const db = new pg.Client({ connectionString: dbUrl.toString() });
  await db.connect();
  const { rows: stadium } = await db.query<{ id: string }>(
    `SELECT schedule_id AS id FROM seats GROUP BY schedule_id HAVING count(*) = 50000 LIMIT 1`,
  );
  const scheduleId = stadium[0]?.id;
  if (!scheduleId) throw new Error('no 50,000-seat performance in the demo data');
  const changeCount = rate * seconds;
  const { rows: seatRows } = await db.query<{ id: string }>(
    `SELECT id FROM seats WHERE schedule_id = $1 ORDER BY random() LIMIT $2`,
    [scheduleId, changeCount],
  );
  await db.end();
  const seatIds = seatRows.map((r) => r.id);
  log(`nodes ${urls.join(' ')}; stadium ${scheduleId}`);

  // Warm every node's layout cache, then measure what a new viewer downloads.
  for (const url of urls) await rawGet(`${url}/api/schedules/${scheduleId}/seats`, 'gzip');
  const sizes = {
    seatsGzip: (await rawGet(`${urls[0]}/api/schedules/${scheduleId}/seats`, 'gzip')).bytes,
    seatsBr: (await rawGet(`${urls[0]}/api/schedules/${scheduleId}/seats`, 'br')).bytes,
    status: await rawGet(`${urls[0]}/api/schedules/${scheduleId}/status`, 'identity'),
    statusBr: await rawGet(`${urls[0]}/api/schedules/${scheduleId}/status`, 'br'),
    statusGzip: await rawGet(`${urls[0]}/api/schedules/${scheduleId}/status`, 'gzip'),
    layoutBr: await rawGet(`${urls[0]}/api/schedules/${scheduleId}/layout`, 'br'),
    feed: await feedSnapshotBytes(urls[0]!, scheduleId),
    feedFull: await feedSnapshotBytes(urls[0]!, scheduleId, '?snapshot=full'),
  };
  const v0 = await currentVersion(urls[0]!, scheduleId);

  // Connect: feeds first (their CPU is measured alone), then Socket.IO.
  await pool.started();
  const idle = await stats(nodes);
  let started = Date.now();
  const feeds = await pool.open('feed', urls, feedCount, scheduleId, 10);
  const feedSeconds = (Date.now() - started) / 1000;
  const afterFeeds = await stats(nodes);
  log(`${feeds.ready}/${feedCount} feeds had their snapshot in ${feedSeconds.toFixed(1)} s (load ${uptime()})`);
  started = Date.now();
  const sockets = await pool.open('socketio', urls, socketIoCount, scheduleId, 25);
  const socketSeconds = (Date.now() - started) / 1000;
  const afterSockets = await stats(nodes);
  log(
    `${sockets.ready}/${socketIoCount} Socket.IO watchers joined in ${socketSeconds.toFixed(1)} s (load ${uptime()})`,
  );

  // One monitor per node maps each version to the seat change that caused it.
  const causeOf = new Map<number, string>();
  for (const url of urls) {
    const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
    monitors.push(socket);
    socket.on('seats:changed', (e: { fromVersion: number; changes: { seatId: string; status: string }[] }) => {
      e.changes.forEach((c, i) => {
        causeOf.set(e.fromVersion + 1 + i, `${c.seatId}:${c.status}`);
      });
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect_error', reject);
      socket.once('connect', () =>
        socket.emit('schedule:join', scheduleId, (ack: { ok: boolean }) =>
          ack.ok ? resolve() : reject(new Error('monitor join refused')),
        ),
      );
    });
  }

  // Changes: holds and releases through the API, alternating nodes; each change's request time is its cause.
  const requestedAt = new Map<string, number>();
  const errors = new Map<string, number>();
  const held: { seatId: string; holdId: string }[] = [];
  const inFlight = new Set<Promise<void>>();
  const track = (p: Promise<void>) => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };
  const fail = (what: string) => {
    errors.set(what, (errors.get(what) ?? 0) + 1);
  };
  let issued = 0;
  let nextSeat = 0;
  const beforeChanges = { nodes: await stats(nodes), watchers: await pool.cpuMs() };
  const changesStart = now();
  log(`making ${changeCount} changes (load ${uptime()})`);
  while (issued < changeCount) {
    const due = Math.min(changeCount, Math.floor(((now() - changesStart) / 1000) * rate));
    for (; issued < due; issued++) {
      const release = issued % 2 === 1 ? held.shift() : undefined;
      if (release) {
        const url = urls[(issued + 1) % urls.length]!;
        requestedAt.set(`${release.seatId}:available`, now());
        track(
          fetch(`${url}/api/holds/${release.holdId}`, { method: 'DELETE' }).then(
            (res) => {
              if (res.status !== 204) fail(`release ${res.status}`);
            },
            (err: Error & { cause?: { code?: string } }) => fail(`release ${err.cause?.code ?? err.name}`),
          ),
        );
        continue;
      }
      const seatId = seatIds[nextSeat++]!;
      const url = urls[issued % urls.length]!;
      requestedAt.set(`${seatId}:held`, now());
      track(
        fetch(`${url}/api/schedules/${scheduleId}/holds`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ seatIds: [seatId] }),
        }).then(
          async (res) => {
            if (res.status !== 201) {
              fail(`hold ${res.status}`);
              return;
            }
            held.push({ seatId, holdId: ((await res.json()) as { holdId: string }).holdId });
          },
          (err: Error & { cause?: { code?: string } }) => fail(`hold ${err.cause?.code ?? err.name}`),
        ),
      );
    }
    await sleep(5);
  }
  await Promise.all(inFlight);
  const changeSeconds = (now() - changesStart) / 1000;
  const target = await currentVersion(urls[0]!, scheduleId);
  log(`${target - v0} versions in ${changeSeconds.toFixed(1)} s; draining (load ${uptime()})`);
  await pool.drain('feed', target, feeds.ready);
  await pool.drain('socketio', target, sockets.ready);
  const measuredSeconds = (now() - changesStart) / 1000;
  const afterChanges = { nodes: await stats(nodes), watchers: await pool.cpuMs() };
  const times = new Float64Array(target + 1).fill(Number.NaN);
  for (let v = v0 + 1; v <= target; v++) times[v] = requestedAt.get(causeOf.get(v) ?? '') ?? Number.NaN;
  const feedResult = await pool.measure('feed', times, v0, target);
  const socketResult = await pool.measure('socketio', times, v0, target);
  const endLoad = uptime();
  for (const m of monitors) m.disconnect();
  monitors.length = 0;
  await pool.close();
  await Promise.all(
    nodes.map(async (n) => {
      n.send({ type: 'close' });
      await new Promise((r) => n.process.once('exit', r));
    }),
  );
  nodes.length = 0;

  // The baseline: the same timeline, the same number of watchers, bare ws servers, one per node.
  const timeline: [number, string, SeatStatus][] = [];
  let lastOffset = 0;
  for (let v = v0 + 1; v <= target; v++) {
    const cause = causeOf.get(v) ?? ':available';
    const offset = Number.isNaN(times[v]!) ? lastOffset : times[v]! - changesStart;
    lastOffset = offset;
    const [seatId, status] = cause.split(':') as [string, SeatStatus];
    timeline.push([offset, seatId, status]);
  }
  const bareUrls: string[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const server = spawnChild('./bench-fanout-bare.ts');
    bare.push(server);
    bareUrls.push(`http://127.0.0.1:${(await server.next('ready')).port}`);
  }
  const bareWatchers = await pool.open('bare', bareUrls, feeds.ready + sockets.ready, scheduleId, 25);
  log(`baseline: ${bareWatchers.ready} bare ws watchers; replaying (load ${uptime()})`);
  const bareBefore = { servers: await stats(bare), watchers: await pool.cpuMs() };
  const t0 = now() + 500;
  for (const server of bare) server.send({ type: 'replay', scheduleId, t0, windowMs, timeline });
  await Promise.all(bare.map((s) => s.next('replayed')));
  await pool.drain('bare', timeline.length, bareWatchers.ready);
  const bareSeconds = (now() - t0) / 1000;
  const bareAfter = { servers: await stats(bare), watchers: await pool.cpuMs() };
  const bareTimes = new Float64Array(timeline.length + 1).fill(Number.NaN);
  timeline.forEach(([offset], i) => {
    bareTimes[i + 1] = t0 + offset;
  });
  const bareResult = await pool.measure('bare', bareTimes, 0, timeline.length);
  await pool.close();
  for (const server of bare) server.send({ type: 'close' });
  bare.length = 0;

  // Report.
  const perConn = (a: number, b: number, n: number) => (n > 0 ? (b - a) / n / 1024 : Number.NaN);
  const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
  const pctOf = (m: Measured) => (m.expected > 0 ? (100 * m.delivered) / m.expected : Number.NaN);
  const kb = (n: number) => `${fmt(n / 1024)} KB`;
  const statusOk = sizes.status.status === 200;
  const cpuPerFeed = feeds.ready > 0 ? (afterFeeds.cpuMs - idle.cpuMs) / feeds.ready : Number.NaN;
  const p99Limit = 1.5 * bareResult.p99 + windowMs;
  const row = (name: string, m: Measured, memory: string) =>
    `| ${name} | ${m.watchers} | ${fmt(pctOf(m), 2)} % | ${m.gaps} | ${fmt(m.p50)} | ${fmt(m.p99)} | ${fmt(m.max)} | ${fmt(m.watchers > 0 ? m.messages / m.watchers : Number.NaN, 0)} | ${memory} |`;
  const lines = [
    '',
    `### ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC${values.label ? ` — ${values.label}` : ''}`,
    '',
    `${machine}. Load average (1/5/15 min) ${startLoad} at start, ${endLoad} after the measured phase — the machine is` +
      ' shared with other engineers’ test suites, so compare the ratios within this run, not absolute numbers across runs.',
    `${feedCount} plain-feed + ${socketIoCount} Socket.IO watchers of the 50,000-seat stadium on ${nodeCount} nodes` +
      ` through ${redisWhere}; ${target - v0} seat changes (${rate}/s requested for ${seconds} s, took ${fmt(changeSeconds)} s)` +
      ` as holds and releases through the API; BROADCAST_WINDOW_MS=${windowMs}; watchers in ${procs} child processes.` +
      ' Lag: from the change’s HTTP request to its arrival at a watcher. Baseline: the same change timeline sent by' +
      ` ${nodeCount} bare \`ws\` servers (batched by the server’s coalescer, serialised once) to ${bareResult.watchers} watchers.` +
      ' Every watcher is one `ws` client reading versions from the head of each message; Socket.IO watchers speak' +
      ' Engine.IO frames over it, so the tester costs the same for every kind.',
    '',
    '| watchers | connected | delivered | gaps | lag p50 ms | lag p99 ms | lag max ms | messages / watcher | memory / connection (node RSS, heap) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
    row(
      'plain feed',
      feedResult,
      `${fmt(perConn(idle.rss, afterFeeds.rss, feeds.ready))} KB, ${fmt(perConn(idle.heapUsed, afterFeeds.heapUsed, feeds.ready))} KB`,
    ),
    row(
      'Socket.IO',
      socketResult,
      `${fmt(perConn(afterFeeds.rss, afterSockets.rss, sockets.ready))} KB, ${fmt(perConn(afterFeeds.heapUsed, afterSockets.heapUsed, sockets.ready))} KB`,
    ),
    row('bare ws (baseline)', bareResult, '—'),
    '',
    '| measure | value | target | met |',
    '|---|---:|---|:-:|',
    `| feeds with their snapshot within ${connectTimeoutMs / 1000} s | ${feeds.ready} of ${feedCount} (${fmt(feedSeconds)} s) | all | ${feeds.ready === feedCount ? 'yes' : '**no**'} |`,
    `| delivered, feed / Socket.IO | ${fmt(pctOf(feedResult), 2)} % / ${fmt(pctOf(socketResult), 2)} % | 100 % | ${pctOf(feedResult) === 100 && pctOf(socketResult) === 100 ? 'yes' : '**no**'} |`,
    `| lag p99, feed / Socket.IO vs 1.5 × bare p99 + window | ${fmt(feedResult.p99)} / ${fmt(socketResult.p99)} ms vs ${fmt(p99Limit)} ms | ≤ | ${Math.max(feedResult.p99, socketResult.p99) <= p99Limit ? 'yes' : '**no**'} |`,
    `| CPU per new feed connection (both nodes) | ${fmt(cpuPerFeed, 2)} ms | ≤ 3 ms | ${cpuPerFeed <= 3 ? 'yes' : '**no**'} |`,
    `| feed snapshot (first message) | ${kb(sizes.feed)} (\`?snapshot=full\`: ${kb(sizes.feedFull)}) | ≤ 64 KB | ${sizes.feed <= 64 * 1024 ? 'yes' : '**no**'} |`,
    `| status, br / gzip | ${statusOk ? `${kb(sizes.statusBr.bytes)} / ${kb(sizes.statusGzip.bytes)} (raw ${kb(sizes.status.bytes)})` : `none (HTTP ${sizes.status.status})`} | ≤ 20 KB | ${statusOk && Math.min(sizes.statusBr.bytes, sizes.statusGzip.bytes) <= 20 * 1024 ? 'yes' : '**no**'} |`,
    `| layout, br (fetched once, cached) | ${sizes.layoutBr.status === 200 ? kb(sizes.layoutBr.bytes) : `none (HTTP ${sizes.layoutBr.status})`} | — | — |`,
    `| part-one seat map \`/seats\`, br / gzip | ${kb(sizes.seatsBr)} / ${kb(sizes.seatsGzip)} | — | — |`,
    `| change requests refused or failed | ${[...errors].map(([k, n]) => `${k}: ${n}`).join(', ') || 'none'} | none | ${errors.size === 0 ? 'yes' : '**no**'} |`,
    `| CPU while changing + draining (${fmt(measuredSeconds)} s): server nodes / watcher processes | ${fmt((afterChanges.nodes.cpuMs - beforeChanges.nodes.cpuMs) / 1000)} s / ${fmt((afterChanges.watchers - beforeChanges.watchers) / 1000)} s | — | — |`,
    `| server event-loop delay meanwhile, worst node p99 / max | ${fmt(afterChanges.nodes.loop!.p99)} / ${fmt(afterChanges.nodes.loop!.max)} ms | — | — |`,
    `| CPU of the baseline replay (${fmt(bareSeconds)} s): bare servers / watcher processes | ${fmt((bareAfter.servers.cpuMs - bareBefore.servers.cpuMs) / 1000)} s / ${fmt((bareAfter.watchers - bareBefore.watchers) / 1000)} s | — | — |`,
    '',
  ];
  console.log(lines.join('\n'));
  if (!values['no-write']) {
    const file = here('../docs/benchmarks.md');
    const existing = readFileSync(file, 'utf8');
    const header = existing.includes('## Fan-out at on-sale scale')
      ? ''
      : '\n## Fan-out at on-sale scale (`npm run bench:fanout`)\n';
    appendFileSync(file, `${header}${lines.join('\n')}`);
    log(`appended to ${file}`);
  }
} finally {
  await cleanup();
}
process.exit(0);
