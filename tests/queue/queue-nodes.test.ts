import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { queueTicketStatusSchema } from '@seatmap/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../server/src/db/connect.ts';
import { migrateToLatest } from '../../server/src/db/migrate.ts';
import { createFixture } from '../support/fixtures.ts';
import { startNode } from '../support/processes.ts';
import { createTestDatabase, realServices, testRedisPrefix, testRedisUrl } from '../support/services.ts';
import { ADMIN_TOKEN, adminHeaders } from './support.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const real = await realServices();

const PER_MINUTE = 1200;
const TICKETS = 240;

/**
 * Three real server processes share one Postgres and one Redis; every one runs the admitter. One is killed
 * (SIGKILL) while admissions are under way: the others go on, nobody is admitted twice, the pace stays the
 * configured one (not one pace per node), and the admissions made before the kill survive it.
 */
describe.skipIf(!real)('waiting room across node processes', () => {
  const children: ChildProcess[] = [];
  const urls: string[] = [];
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let concertId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const handle = await createDatabase({ DATABASE_URL: database.url, DATA_DIR: '.data' });
    await migrateToLatest(handle.db);
    concertId = (await createFixture(handle.db)).concertId;
    await handle.close();
    const prefix = testRedisPrefix();
    for (let i = 0; i < 3; i++) {
      // The OS picks each node's port (PORT=0); the node says which once it listens.
      const node = await startNode(root, {
        DATABASE_URL: database.url,
        REDIS_URL: testRedisUrl,
        REDIS_KEY_PREFIX: prefix,
        ADMIN_TOKEN,
        SEED_DEMO: 'false',
        RATE_LIMIT_PER_MINUTE: '0',
        QUEUE_ADMIT_INTERVAL_MS: '50',
        QUEUE_CONFIG_REFRESH_MS: '200',
      });
      children.push(node.child);
      urls.push(node.url);
    }
    for (const url of urls) {
      let up = false;
      for (let i = 0; i < 240 && !up; i++) {
        up = await fetch(`${url}/health/ready`).then(
          (r) => r.ok,
          () => false,
        );
        if (!up) await sleep(250);
      }
      if (!up) throw new Error(`${url} did not start`);
    }
  }, 300_000);

  afterAll(async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await once(child, 'exit');
      }
    }
    await database?.drop();
  });

  it('meters across nodes, survives a node killed mid-admission, admits each ticket once', async () => {
    const settings = {
      enabled: true,
      opensAt: new Date(Date.now() - 1000).toISOString(),
      admitPerMinute: PER_MINUTE,
      maxActive: 10_000,
      sessionMinutes: 5,
    };
    const queueUrl = (i: number) => `${urls[i]}/api/admin/concerts/${concertId}/queue`;
    const admin = (i: number, method: string, body: unknown) =>
      fetch(queueUrl(i), {
        method,
        headers: { ...adminHeaders, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    // Paused while the line fills, so admission starts with everyone in it.
    expect((await admin(0, 'PUT', settings)).status).toBe(200);
    expect((await admin(0, 'PATCH', { paused: true })).status).toBe(200);
    const join = async (i: number) => {
      const res = await fetch(`${urls[i % 3]}/api/concerts/${concertId}/queue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      return queueTicketStatusSchema.parse(await res.json());
    };
    const poll = async (url: string, ticket: string) =>
      queueTicketStatusSchema.parse(await (await fetch(`${url}/api/queue/${ticket}`)).json());
    const tickets = [(await join(0)).ticket];
    // Every node has read the settings once it answers node 0's ticket as waiting (not "no queue here").
    for (const url of urls.slice(1)) {
      for (let i = 0; i < 200 && (await poll(url, tickets[0]!)).status !== 'waiting'; i++) await sleep(50);
    }
    while (tickets.length < TICKETS) tickets.push((await join(tickets.length)).ticket);
    expect((await admin(1, 'PATCH', { paused: false })).status).toBe(200);

    const statsOf = async (i: number) =>
      (await fetch(`${queueUrl(i)}/stats`, { headers: adminHeaders })).json() as Promise<{ admittedTotal: number }>;
    // Kill node 0 once a quarter is admitted.
    for (let i = 0; i < 400 && (await statsOf(1)).admittedTotal < TICKETS / 4; i++) await sleep(50);
    children[0]!.kill('SIGKILL');
    await once(children[0]!, 'exit');
    for (let i = 0; i < 600 && (await statsOf(1)).admittedTotal < TICKETS; i++) await sleep(100);

    const admittedAt: number[] = [];
    const tokens = new Set<string>();
    for (const ticket of tickets) {
      const status = await poll(urls[1 + (tokens.size % 2)]!, ticket);
      expect(status.status).toBe('admitted');
      tokens.add(status.admission!.token);
      admittedAt.push(Date.parse(status.admission!.expiresAt) - settings.sessionMinutes * 60_000);
    }
    expect(tokens.size).toBe(TICKETS);
    const stats = await statsOf(2);
    expect(stats).toMatchObject({ waiting: 0, admittedTotal: TICKETS });
    // Joined one after the other, so admitted in the same order (FIFO) …
    expect(admittedAt).toEqual([...admittedAt].sort((a, b) => a - b));
    // … at one pace across the nodes: in any 3 s, at most 3 s of the rate plus the one-second burst.
    const perWindow = (PER_MINUTE / 60) * 3 + PER_MINUTE / 60 + 1;
    for (const t of admittedAt) {
      expect(admittedAt.filter((u) => u >= t && u < t + 3000).length).toBeLessThanOrEqual(perWindow);
    }
  }, 240_000);
});
