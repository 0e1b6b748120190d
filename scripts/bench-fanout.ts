/**
 * Fan-out benchmark (`npm run bench:fanout -- --watchers 1000,5000`): W watchers on one schedule, a burst of
 * seat changes, delivery lag p50/p99 and deliveries/s for
 *   - Socket.IO through the live gateway, change published on the same node (in-process bus);
 *   - a bare `ws` server sending the same coalesced payloads (baseline);
 *   - Socket.IO with the change published on another node through Redis (when Redis is reachable).
 * Servers run in this process on 127.0.0.1 with an in-memory directory (no database); watchers run in child
 * processes. Results are printed and appended to docs/benchmarks.md (--no-write to skip).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { SeatsChanged } from '@seatmap/shared';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { WebSocketServer } from 'ws';
import { testConfig } from '../server/src/config.ts';
import { createCoalescer } from '../server/src/live/coalescer.ts';
import type { EventBus } from '../server/src/live/event-bus.ts';
import { createMemoryEventBus } from '../server/src/live/memory-event-bus.ts';
import { createRedisEventBus } from '../server/src/live/redis-event-bus.ts';
import { registerLive } from '../server/src/live/register.ts';
import type { LiveDirectory } from '../server/src/live/types.ts';

const { values } = parseArgs({
  options: {
    watchers: { type: 'string', default: '1000,5000' },
    changes: { type: 'string', default: '500' },
    'spread-ms': { type: 'string', default: '250' },
    procs: { type: 'string', default: '2' },
    'window-ms': { type: 'string', default: '40' },
    redis: { type: 'string', default: 'redis://127.0.0.1:6379' },
    'timeout-s': { type: 'string', default: '90' },
    'no-write': { type: 'boolean', default: false },
  },
});
const watcherCounts = values.watchers.split(',').map(Number);
const changes = Number(values.changes);
const spreadMs = Number(values['spread-ms']);
const procs = Number(values.procs);
const windowMs = Number(values['window-ms']);
const timeoutMs = Number(values['timeout-s']) * 1000;
const redisUrl = new URL(values.redis);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(redisUrl.hostname)) {
  throw new Error('bench:fanout only targets local services (127.0.0.1)');
}
if (watcherCounts.some((w) => !Number.isInteger(w) || w < 1 || w > 20_000)) throw new Error('--watchers: 1..20000');

const now = () => performance.timeOrigin + performance.now();

interface Result {
  scenario: string;
  watchers: number;
  messages: number;
  p50: number;
  p99: number;
  max: number;
  messagesPerSec: number;
  changesPerSec: number;
  complete: boolean;
}

/** A directory with one schedule whose version the burst advances. */
function benchDirectory(scheduleId: string): LiveDirectory & { version(id: string): Promise<number> } {
  return {
    scheduleExists: async (id) => id === scheduleId,
    version: async () => 0,
    snapshot: async (id) => (id === scheduleId ? { version: 0, seats: [] } : null),
  };
}

async function startWatchers(mode: 'socketio' | 'ws', url: string, count: number, scheduleId: string) {
  const children: ChildProcess[] = [];
  const ready: Promise<void>[] = [];
  const done: Promise<void>[] = [];
  for (let p = 0; p < procs; p++) {
    const share = Math.floor(count / procs) + (p < count % procs ? 1 : 0);
    if (share === 0) continue;
    const child = fork(new URL('./bench-fanout-watchers.ts', import.meta.url).pathname, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(child);
    const waitFor = (type: string) =>
      new Promise<void>((resolve, reject) => {
        child.on('message', (m: { type: string; message?: string }) => {
          if (m.type === type) resolve();
          if (m.type === 'error') reject(new Error(m.message));
        });
        child.once('exit', (code) => (code ? reject(new Error(`watcher process exited ${code}`)) : undefined));
      });
    ready.push(waitFor('ready'));
    done.push(waitFor('done'));
    child.send({ mode, url, count: share, scheduleId, expectVersion: changes });
  }
  await Promise.all(ready);
  return {
    done: Promise.all(done),
    async report(): Promise<number[][]> {
      return Promise.all(
        children.map(
          (child) =>
            new Promise<number[]>((resolve) => {
              child.on('message', (m: { type: string; records?: number[] }) => {
                if (m.type === 'report') resolve(m.records ?? []);
              });
              child.send({ type: 'report' });
            }),
        ),
      );
    },
  };
}

/** Publishes `changes` single-seat events spread over `spreadMs`; returns each version's publish time. */
async function burst(publish: (event: SeatsChanged) => void, scheduleId: string): Promise<Float64Array> {
  const times = new Float64Array(changes + 1);
  const ticks = Math.max(1, Math.round(spreadMs / 5));
  const perTick = Math.ceil(changes / ticks);
  let version = 0;
  while (version < changes) {
    for (let k = 0; k < perTick && version < changes; k++) {
      times[version + 1] = now();
      publish({
        scheduleId,
        fromVersion: version,
        version: version + 1,
        changes: [{ seatId: randomUUID(), status: version % 3 === 0 ? 'available' : 'held' }],
      });
      version++;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return times;
}

function summarize(
  scenario: string,
  watchers: number,
  times: Float64Array,
  reports: number[][],
  complete: boolean,
): Result {
  const lags: number[] = [];
  let messages = 0;
  let last = 0;
  for (const records of reports) {
    for (let i = 0; i < records.length; i += 3) {
      const at = records[i]!;
      const from = records[i + 1]!;
      const to = records[i + 2]!;
      messages++;
      last = Math.max(last, at);
      for (let v = from + 1; v <= to; v++) lags.push(at - times[v]!);
    }
  }
  lags.sort((a, b) => a - b);
  const pct = (p: number) => lags[Math.min(lags.length - 1, Math.floor((p / 100) * lags.length))] ?? Number.NaN;
  const seconds = (last - times[1]!) / 1000;
  return {
    scenario,
    watchers,
    messages,
    p50: pct(50),
    p99: pct(99),
    max: lags.at(-1) ?? Number.NaN,
    messagesPerSec: messages / seconds,
    changesPerSec: lags.length / seconds,
    complete,
  };
}

async function measure(
  scenario: string,
  watchers: number,
  url: string,
  mode: 'socketio' | 'ws',
  scheduleId: string,
  publish: (event: SeatsChanged) => void,
): Promise<Result> {
  const connectStart = Date.now();
  const set = await startWatchers(mode, url, watchers, scheduleId);
  if (!quiet)
    console.log(
      `  ${scenario}: ${watchers} watchers connected in ${((Date.now() - connectStart) / 1000).toFixed(1)} s`,
    );
  await new Promise((r) => setTimeout(r, 500));
  const times = await burst(publish, scheduleId);
  const complete = await Promise.race([
    set.done.then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs).unref()),
  ]);
  await new Promise((r) => setTimeout(r, 200));
  const result = summarize(scenario, watchers, times, await set.report(), complete);
  print(result);
  return result;
}

async function socketIoScenario(watchers: number): Promise<Result> {
  const scheduleId = randomUUID();
  const bus = createMemoryEventBus();
  const app = Fastify({ logger: false });
  await registerLive(app, {
    config: testConfig({ BROADCAST_WINDOW_MS: windowMs }),
    bus,
    directory: benchDirectory(scheduleId),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  try {
    return await measure('socket.io, same node', watchers, url, 'socketio', scheduleId, (e) => void bus.publish(e));
  } finally {
    await app.close();
    await bus.close();
  }
}

async function bareWsScenario(watchers: number): Promise<Result> {
  const scheduleId = randomUUID();
  const server = createServer();
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  const coalescer = createCoalescer({
    windowMs,
    emit(event) {
      const data = JSON.stringify({ type: 'seats:changed', ...event });
      for (const client of wss.clients) client.send(data);
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    return await measure('bare ws (baseline)', watchers, url, 'ws', scheduleId, (e) =>
      queueMicrotask(() => coalescer.push(e)),
    );
  } finally {
    coalescer.close();
    for (const client of wss.clients) client.terminate();
    wss.close();
    server.close();
  }
}

async function crossNodeScenario(watchers: number): Promise<Result | null> {
  const probe = new Redis(redisUrl.toString(), { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000 });
  try {
    await probe.connect();
  } catch {
    console.log('  (Redis unreachable: cross-node scenario skipped)');
    probe.disconnect();
    return null;
  }
  probe.disconnect();
  const scheduleId = randomUUID();
  const prefix = `bench:${randomBytes(4).toString('hex')}:`;
  const nodes: { app: ReturnType<typeof Fastify>; bus: EventBus; redis: Redis }[] = [];
  for (let i = 0; i < 2; i++) {
    const redis = new Redis(redisUrl.toString());
    const bus = createRedisEventBus({ pub: redis, sub: redis.duplicate(), prefix });
    const app = Fastify({ logger: false });
    await registerLive(app, {
      config: testConfig({ BROADCAST_WINDOW_MS: windowMs, REDIS_KEY_PREFIX: prefix }),
      bus,
      redis,
      directory: benchDirectory(scheduleId),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    await bus.ready();
    nodes.push({ app, bus, redis });
  }
  const url = `http://127.0.0.1:${(nodes[0]!.app.server.address() as AddressInfo).port}`;
  try {
    const other = nodes[1]!.bus;
    return await measure('socket.io, other node via Redis', watchers, url, 'socketio', scheduleId, (e) => {
      void other.publish(e);
    });
  } finally {
    for (const node of nodes) {
      await node.app.close();
      await node.bus.close();
      await node.redis.quit();
    }
  }
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
let quiet = false;
function print(r: Result) {
  if (quiet) return;
  console.log(
    `  ${r.scenario.padEnd(34)} W=${String(r.watchers).padStart(5)}  msgs=${String(r.messages).padStart(7)}  ` +
      `lag p50 ${fmt(r.p50).padStart(7)} ms  p99 ${fmt(r.p99).padStart(7)} ms  ` +
      `${fmt(r.messagesPerSec, 0).padStart(8)} msg/s  ${fmt(r.changesPerSec, 0).padStart(9)} changes/s${r.complete ? '' : '  INCOMPLETE'}`,
  );
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)} at start`;
console.log(`bench:fanout — ${machine}`);
console.log(
  `${changes} single-seat changes over ${spreadMs} ms, BROADCAST_WINDOW_MS=${windowMs}, watchers in ${procs} processes`,
);
// Warm-up pass (JIT, connection paths) so the first measured scenario is not penalised.
quiet = true;
await socketIoScenario(200);
await bareWsScenario(200);
quiet = false;

const rows: string[] = [];
const ratioLines: string[] = [];
for (const watchers of watcherCounts) {
  const sio = await socketIoScenario(watchers);
  const ws = await bareWsScenario(watchers);
  const cross = await crossNodeScenario(watchers);
  const row = (r: Result) =>
    `| ${r.scenario} | ${r.watchers} | ${r.messages} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.messagesPerSec, 0)} | ${fmt(r.changesPerSec, 0)} |${r.complete ? '' : ' incomplete'}`;
  rows.push(row(sio), row(ws));
  if (cross) rows.push(row(cross));
  const ratios = [
    `Socket.IO / bare ws at ${watchers}: p50 lag ×${fmt(sio.p50 / ws.p50, 2)}, p99 lag ×${fmt(sio.p99 / ws.p99, 2)}, deliveries/s ×${fmt(sio.messagesPerSec / ws.messagesPerSec, 2)}`,
  ];
  if (cross) {
    ratios.push(
      `other node via Redis / same node at ${watchers}: p50 lag ×${fmt(cross.p50 / sio.p50, 2)}, p99 lag ×${fmt(cross.p99 / sio.p99, 2)}`,
    );
  }
  for (const r of ratios) console.log(`  ${r}`);
  ratioLines.push(...ratios.map((r) => `- ${r}`));
}

if (!values['no-write']) {
  const file = new URL('../docs/benchmarks.md', import.meta.url).pathname;
  let existing: string | null = null;
  try {
    existing = readFileSync(file, 'utf8');
  } catch {
    // first run on this checkout
  }
  const header = existing?.includes('## Fan-out') ? '' : '\n## Fan-out (`npm run bench:fanout`)\n';
  const table = [
    '',
    `### ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${machine}`,
    '',
    `${changes} single-seat changes published over ${spreadMs} ms; BROADCAST_WINDOW_MS=${windowMs}; watchers in ${procs} child processes on the same machine; lag = publish → arrival, per seat change.`,
    '',
    '| scenario | watchers | messages | lag p50 ms | lag p99 ms | messages/s | seat changes/s |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    ...ratioLines,
    '',
  ].join('\n');
  appendFileSync(file, `${existing === null ? '# Benchmarks\n' : ''}${header}${table}`);
  console.log(`appended to ${file}`);
}
process.exit(0);
