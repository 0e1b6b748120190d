import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../server/src/db/connect.ts';
import { migrateToLatest } from '../../server/src/db/migrate.ts';
import { createFixture, type Fixture } from '../support/fixtures.ts';
import { createTestDatabase, realServices, testRedisPrefix, testRedisUrl } from '../support/services.ts';
import { waitFor } from '../support/wait.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const real = await realServices();

function startServer(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', ...args], {
    cwd: root,
    // PORT=0: the OS picks the port, and node:cluster gives every worker the same one.
    env: { ...process.env, HOST: '127.0.0.1', SEED_DEMO: 'false', SHUTDOWN_DELAY_MS: '0', ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { text: '' };
  child.stdout.on('data', (d) => (output.text += d));
  child.stderr.on('data', (d) => (output.text += d));
  return { child, output };
}

/** One request on a connection of its own (so the cluster hands it to the next worker); its local port too. */
function call(port: number, method: string, urlPath: string, body?: unknown) {
  return new Promise<{ status: number; json: Record<string, unknown>; text: string; localPort: number }>(
    (resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      let localPort = 0;
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: urlPath,
          method,
          agent: false,
          headers: payload ? { 'content-type': 'application/json' } : {},
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => {
            const json = text && res.headers['content-type']?.includes('json') ? JSON.parse(text) : {};
            resolve({ status: res.statusCode ?? 0, json, text, localPort });
          });
        },
      );
      req.on('socket', (socket) => socket.once('connect', () => (localPort = socket.localPort ?? 0)));
      req.on('error', reject);
      req.end(payload);
    },
  );
}

/** The value of one unlabelled sample line of a Prometheus exposition. */
function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const poolSize = 3;

describe.skipIf(!real)('npm start --workers 2 (node:cluster, one port)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let fixture: Fixture;
  let server: ReturnType<typeof startServer>;
  let port: number;

  /** The pid of the worker that logged the request coming from `localPort` (the log names each request's port). */
  async function servedBy(localPort: number): Promise<number> {
    let pid: number | undefined;
    await waitFor(
      () => {
        for (const line of server.output.text.split('\n')) {
          // The last line may still be half written.
          if (!line.includes('"request completed"') || !line.endsWith('}')) continue;
          const entry = JSON.parse(line) as { pid: number; req?: { remotePort?: number } };
          if (entry.req?.remotePort === localPort) pid = entry.pid;
        }
        return pid !== undefined;
      },
      20_000,
      `the log line of the request from port ${localPort}`,
    );
    return pid!;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    const handle = await createDatabase({ DATABASE_URL: database.url, DATA_DIR: '.data' });
    await migrateToLatest(handle.db);
    fixture = await createFixture(handle.db);
    await handle.close();
    server = startServer(['--workers', '2'], {
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl,
      REDIS_KEY_PREFIX: testRedisPrefix(),
      DATABASE_POOL_SIZE: String(poolSize),
      LOG_LEVEL: 'info',
    });
    // Ready once both workers listen (the primary says so); the port is in each worker's "listening" line.
    await waitFor(
      () => {
        if (server.child.exitCode !== null) throw new Error(`the cluster exited:\n${server.output.text}`);
        return server.output.text.includes('cluster: 2 workers listening');
      },
      90_000,
      'both workers to listen',
    );
    port = Number(/Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(server.output.text)?.[1]);
  }, 120_000);

  afterAll(async () => {
    if (server?.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await once(server.child, 'exit');
    }
    await database?.drop();
  });

  it('serves from both workers on the one port', async () => {
    const pids = new Set<number>();
    for (let i = 0; i < 50 && pids.size < 2; i++) {
      const res = await call(port, 'GET', '/health/live');
      expect(res.status).toBe(200);
      pids.add(await servedBy(res.localPort));
    }
    expect(pids.size).toBe(2);
  });

  it('answers /metrics for the whole box, whichever worker takes the scrape', async () => {
    // Holds until both workers have made some: each worker's own counter is below the total.
    const makers = new Set<number>();
    let holds = 0;
    for (const seatId of fixture.row('B')) {
      const made = await call(port, 'POST', `/api/schedules/${fixture.scheduleId}/holds`, { seatIds: [seatId] });
      expect(made.status).toBe(201);
      holds++;
      makers.add(await servedBy(made.localPort));
      if (makers.size === 2 && holds >= 3) break;
    }
    expect(makers.size).toBe(2);
    const scrapers = new Set<number>();
    for (let i = 0; i < 50 && scrapers.size < 2; i++) {
      const scrape = await call(port, 'GET', '/metrics');
      expect(scrape.status).toBe(200);
      expect(sample(scrape.text, 'seatmap_holds_total')).toBe(holds);
      // Both workers' pools: twice one worker's size.
      expect(sample(scrape.text, 'seatmap_db_pool_max_connections')).toBe(2 * poolSize);
      scrapers.add(await servedBy(scrape.localPort));
    }
    expect(scrapers.size).toBe(2);
  });

  it('shares holds through Redis: a hold made on one worker is seen and respected by the other', async () => {
    const seatId = fixture.row('A')[0]!;
    const made = await call(port, 'POST', `/api/schedules/${fixture.scheduleId}/holds`, { seatIds: [seatId] });
    expect(made.status).toBe(201);
    const holdId = made.json.holdId as string;
    const maker = await servedBy(made.localPort);

    let readElsewhere: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 50 && !readElsewhere; i++) {
      const res = await call(port, 'GET', `/api/holds/${holdId}`);
      if ((await servedBy(res.localPort)) !== maker) readElsewhere = res;
    }
    expect(readElsewhere?.status).toBe(200);
    expect(readElsewhere?.json.seatIds).toEqual([seatId]);

    let refusedElsewhere: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 50 && !refusedElsewhere; i++) {
      const res = await call(port, 'POST', `/api/schedules/${fixture.scheduleId}/holds`, { seatIds: [seatId] });
      if ((await servedBy(res.localPort)) !== maker) refusedElsewhere = res;
    }
    expect(refusedElsewhere?.status).toBe(409);
    expect(refusedElsewhere?.json.error).toMatchObject({ code: 'SEAT_UNAVAILABLE' });
  });

  it('stops every worker on SIGTERM and exits 0', async () => {
    server.child.kill('SIGTERM');
    const [code] = await once(server.child, 'exit');
    expect(code, server.output.text).toBe(0);
    await expect(call(port, 'GET', '/health/live')).rejects.toThrow();
  }, 60_000);
});

describe('npm start --workers 2 in embedded mode', () => {
  it('refuses with a message naming what it needs', async () => {
    const { child, output } = startServer(['--workers', '2'], {
      DATABASE_URL: '',
      REDIS_URL: '',
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(output.text).toContain('WORKERS=2 needs DATABASE_URL and REDIS_URL');
  }, 60_000);
});
