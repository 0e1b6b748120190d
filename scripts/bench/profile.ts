/**
 * A CPU profile of one core path under load, for docs/benchmarks.md ("where each millisecond goes"):
 *   npx tsx scripts/bench/profile.ts --scenario hold1|hold2|booking|status|seats|trivial [--seconds 5] [--clients 50]
 * Starts the server (one process, `node --cpu-prof`) on a scratch database, drives the scenario, stops the server
 * and prints scripts/bench/profile-summary.ts of the profile; the .cpuprofile stays in --dir for a closer look.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { createArena } from './arena.ts';
import { benchBooking } from './booking.ts';
import { benchGet, benchHolds, interleavedGroups } from './http.ts';
import { scratchDatabase, startServer, withClient } from './setup.ts';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'hold1' },
    seconds: { type: 'string', default: '5' },
    clients: { type: 'string' },
    dir: { type: 'string', default: '/tmp/seatmap-profiles' },
    port: { type: 'string', default: '3395' },
    'database-url': {
      type: 'string',
      default: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
    'redis-url': { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    env: { type: 'string', multiple: true, default: [] },
  },
});
const scenario = values.scenario;
const seconds = Number(values.seconds);
const clients = Number(values.clients ?? (scenario === 'booking' ? 16 : 50));
const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = join(values.dir, `${scenario}-${Date.now()}`);
mkdirSync(dir, { recursive: true });

const database = await scratchDatabase(values['database-url'], 'prof');
const prefix = `bench:prof:${randomBytes(4).toString('hex')}:`;
const window = { from: 0n, to: 0n };
const extra = Object.fromEntries(values.env.map((kv) => kv.split('=', 2) as [string, string]));
try {
  const server = await startServer(
    root,
    {
      DATABASE_URL: database.url,
      REDIS_URL: values['redis-url'],
      REDIS_KEY_PREFIX: prefix,
      PORT: values.port,
      SEED_DEMO: scenario === 'status' || scenario === 'seats' ? 'true' : 'false',
      ...extra,
    },
    ['--cpu-prof', `--cpu-prof-dir=${dir}`],
  );
  try {
    const arena = await createArena(database.url, Math.ceil((12_000 * seconds) / 24), 50);
    await fetch(`${server.url}/api/schedules/${arena.scheduleId}/status`).then((r) => r.arrayBuffer());
    const hall = await withClient(database.url, async (c) => {
      const { rows } = await c.query<{ id: string }>(
        'SELECT schedule_id AS id FROM seats GROUP BY 1 HAVING count(*) BETWEEN 1500 AND 3000 LIMIT 1',
      );
      return rows[0]?.id;
    });
    const browser = { 'accept-encoding': 'br, gzip' };
    // Warm up on other seats of the same arena: pool connections, optimised code, caches, as in a running sale.
    const warm = interleavedGroups(arena.rows.slice(-20), 2);
    await benchBooking({ url: server.url, scheduleId: arena.scheduleId, groups: warm, clients, seconds: 1, load: 0 });
    const rows = arena.rows.slice(0, -20);
    const started = performance.now();
    window.from = process.hrtime.bigint() / 1000n;
    let result: unknown;
    if (scenario === 'hold1' || scenario === 'hold2') {
      const size = scenario === 'hold1' ? 1 : 2;
      const groups = interleavedGroups(rows, size);
      result = await benchHolds({
        url: server.url,
        scheduleId: arena.scheduleId,
        groups,
        connections: clients,
        seconds,
        load: 0,
      });
    } else if (scenario === 'booking') {
      result = await benchBooking({
        url: server.url,
        scheduleId: arena.scheduleId,
        groups: interleavedGroups(rows, 2),
        clients,
        seconds,
        load: 0,
      });
    } else if (scenario === 'status' || scenario === 'seats') {
      result = await benchGet(server.url, `/api/schedules/${hall}/${scenario}`, clients, seconds, browser);
    } else {
      result = await benchGet(server.url, '/health/live', clients, seconds);
    }
    window.to = process.hrtime.bigint() / 1000n;
    console.log(JSON.stringify(result));
    console.log(`load ran ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await server.stop();
  }
} finally {
  await database.drop();
  const redis = new Redis(values['redis-url']);
  for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 1000 })) {
    if ((keys as string[]).length) await redis.del(...(keys as string[]));
  }
  redis.disconnect();
}
const profile = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
if (!profile) throw new Error(`no profile written in ${dir}`);
console.log(`profile: ${join(dir, profile)} window ${window.from} ${window.to}`);
console.log(
  execFileSync(process.execPath, [
    '--import',
    'tsx',
    fileURLToPath(new URL('./profile-summary.ts', import.meta.url)),
    join(dir, profile),
    '30',
    String(window.from),
    String(window.to),
  ]).toString(),
);
