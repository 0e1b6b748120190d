/**
 * Poll cost at 100,000 waiting tickets, beside raw Redis baselines measured in the same run:
 *   flock /work/coord/bench.lock npx tsx scripts/loadtest/queue-bench.ts [--redis-url redis://127.0.0.1:6379] [--tickets 100000]
 * Fills one concert's queue with N tickets through the real store (Lua scripts), then times the poll script
 * (`view`: rank, line length, active and last-minute counts) against a bare PING and a bare ZRANK on the same key,
 * and reports Redis memory per waiting ticket. Uses its own key prefix and deletes it afterwards.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { createRedisQueueStore } from '../../server/src/queue/redis-queue-store.ts';
import { newMember, preQueueKey } from '../../server/src/queue/tickets.ts';
import { deleteKeys } from './redis-keys.ts';
import { LatencyRecorder } from './stats.ts';

const { values } = parseArgs({
  options: {
    'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' },
    tickets: { type: 'string', default: '100000' },
  },
});
const tickets = Number(values.tickets);
const redis = new Redis(values['redis-url']!);
const prefix = `bench:${randomBytes(4).toString('hex')}:`;
const store = createRedisQueueStore({ redis, prefix });
const concertId = randomUUID();
const settings = {
  opensAt: Date.now() + 3_600_000,
  admitPerMinute: 6000,
  maxActive: 1000,
  sessionMs: 600_000,
  paused: true,
};

async function timed(n: number, call: (i: number) => Promise<unknown>): Promise<LatencyRecorder> {
  const recorder = new LatencyRecorder();
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await call(i);
    recorder.record((performance.now() - start) * 1000); // µs
  }
  return recorder;
}

try {
  await store.arm(concertId, 'bench');
  const members: string[] = [];
  for (let done = 0; done < tickets; done += 1000) {
    const batch = Array.from({ length: Math.min(1000, tickets - done) }, () => newMember());
    members.push(...batch);
    await Promise.all(batch.map((m) => store.join(concertId, settings, m, preQueueKey())));
  }
  const key = `${prefix}queue:{q:${concertId}}:q`;
  const bytes = Number(await redis.memory('USAGE', key, 'SAMPLES', '0'));
  // Open the queue (positions revealed), still paused: every poll ranks one of N tickets.
  const open = { ...settings, opensAt: 0 };
  await store.view(concertId, open, members[0]!);
  const pick = () => members[Math.floor(Math.random() * members.length)]!;
  const n = 20_000;
  const ping = await timed(n, () => redis.ping());
  const zrank = await timed(n, () => redis.zrank(key, pick()));
  const view = await timed(n, () => store.view(concertId, open, pick()));
  const s = (r: LatencyRecorder) => r.summary();
  const rows = [
    ['PING (raw baseline)', s(ping)],
    ['ZRANK (raw baseline)', s(zrank)],
    ['poll script (view)', s(view)],
  ] as const;
  const [load] = (await import('node:os')).loadavg();
  console.log(`${tickets} waiting tickets, ${n} sequential calls each, load average ${load?.toFixed(1)} at the end`);
  console.log('| call | p50 µs | p99 µs | max µs |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [name, r] of rows) console.log(`| ${name} | ${r.p50} | ${r.p99} | ${r.max} |`);
  console.log(
    `poll / PING: p50 ×${(s(view).p50 / s(ping).p50).toFixed(2)}, p99 ×${(s(view).p99 / s(ping).p99).toFixed(2)}; ` +
      `poll / ZRANK: p50 ×${(s(view).p50 / s(zrank).p50).toFixed(2)}, p99 ×${(s(view).p99 / s(zrank).p99).toFixed(2)}`,
  );
  console.log(`Redis memory: ${bytes} B for the line = ${(bytes / tickets).toFixed(1)} B per waiting ticket`);
} finally {
  await deleteKeys(redis, prefix);
  redis.disconnect();
}
