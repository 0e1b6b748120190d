/**
 * CPU per operation of two checkouts' servers, measured in alternation so that both see the same box:
 *   npx tsx scripts/bench/ab.ts --before <dir> [--after <dir>] [--scenario hold1|hold2] [--rounds 6] [--seconds 3]
 *     [--warmup 3]
 * Each checkout's server (one process, as `npm start` runs it) gets a scratch database and Redis prefix of its own;
 * every round drives one short run against each, in alternating order, and reads each server's CPU time from /proc
 * around its run. On a shared box a run's rate follows the run queue, but the CPU a server spent per answered
 * request does not; summed over the rounds it compares the two checkouts. Prints JSON.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { deleteKeys } from '../loadtest/redis-keys.ts';
import { type Arena, createArena } from './arena.ts';
import { cpuMs } from './cpu.ts';
import { benchHolds, cursor, interleavedGroups } from './http.ts';
import { type BenchServer, scratchDatabase, startServer } from './setup.ts';

const { values } = parseArgs({
  options: {
    before: { type: 'string' },
    after: { type: 'string', default: fileURLToPath(new URL('../..', import.meta.url)) },
    scenario: { type: 'string', default: 'hold1' },
    rounds: { type: 'string', default: '6' },
    /** Rounds run first and not counted: under load the JIT takes several seconds to settle. */
    warmup: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '3' },
    clients: { type: 'string', default: '50' },
    port: { type: 'string', default: '3396' },
    'database-url': {
      type: 'string',
      default: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
    'redis-url': { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
  },
});
if (!values.before) throw new Error('--before <checkout> is required');
const size = values.scenario === 'hold2' ? 2 : 1;
const [rounds, seconds] = [Number(values.rounds), Number(values.seconds)];
/** Enough seats that no run runs out (well above what one process answers per second here). */
const SEATS_PER_SECOND = 5000;
const SEATS_PER_ROW = 50;

interface Side {
  name: 'before' | 'after';
  root: string;
  server: BenchServer;
  arena: Arena;
  groups: ReturnType<typeof cursor<string[]>>;
  drop: () => Promise<unknown>;
  prefix: string;
  runs: { ok: number; cpuMs: number; perSecond: number; load: number }[];
}

async function side(name: Side['name'], root: string, port: number): Promise<Side> {
  const database = await scratchDatabase(values['database-url'], `ab${name}`);
  const prefix = `bench:ab:${randomBytes(4).toString('hex')}:`;
  const server = await startServer(root, {
    DATABASE_URL: database.url,
    REDIS_URL: values['redis-url'],
    REDIS_KEY_PREFIX: prefix,
    PORT: String(port),
    SEED_DEMO: 'false',
    WORKERS: '1',
  });
  const rows = Math.ceil((SEATS_PER_SECOND * seconds * (rounds + Number(values.warmup))) / (SEATS_PER_ROW - 2));
  const arena = await createArena(database.url, rows, SEATS_PER_ROW);
  await fetch(`${server.url}/api/schedules/${arena.scheduleId}/status`).then((r) => r.arrayBuffer());
  const groups = cursor(interleavedGroups(arena.rows, size));
  return { name, root, server, arena, groups, drop: database.drop, prefix, runs: [] };
}

async function run(s: Side, runSeconds: number) {
  const load = (await import('node:os')).loadavg()[0]!;
  const before = cpuMs(s.server.process.pid!)!;
  const result = await benchHolds({
    url: s.server.url,
    scheduleId: s.arena.scheduleId,
    groups: s.groups,
    connections: Number(values.clients),
    seconds: runSeconds,
    load,
  });
  const used = cpuMs(s.server.process.pid!)! - before;
  if (result.ranOut) throw new Error(`${s.name} ran out of seats`);
  return { ok: result.ok, cpuMs: used, perSecond: result.perSecond, load };
}

const sides: Side[] = [];
try {
  sides.push(await side('before', values.before, Number(values.port)));
  sides.push(await side('after', values.after, Number(values.port) + 1));
  const warmup = Number(values.warmup);
  for (let round = 0; round < warmup; round++) for (const s of sides) await run(s, seconds);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? sides : [...sides].reverse();
    for (const s of order) s.runs.push(await run(s, seconds));
  }
  const summary = Object.fromEntries(
    sides.map((s) => {
      const ok = s.runs.reduce((n, r) => n + r.ok, 0);
      const cpu = s.runs.reduce((n, r) => n + r.cpuMs, 0);
      const perRun = s.runs.map((r) => Number((r.cpuMs / r.ok).toFixed(3)));
      return [s.name, { root: s.root, ok, cpuMsPerOp: Number((cpu / ok).toFixed(3)), perRun, runs: s.runs }];
    }),
  );
  console.log(JSON.stringify({ scenario: values.scenario, rounds, seconds, ...summary }, null, 2));
} finally {
  const redis = new Redis(values['redis-url']);
  for (const s of sides) {
    await s.server.stop();
    await s.drop();
    await deleteKeys(redis, s.prefix);
  }
  await redis.quit();
}
