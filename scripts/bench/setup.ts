import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** A scratch database on the bench Postgres; `drop()` removes it. */
export async function scratchDatabase(adminUrl: string, tag: string) {
  const name = `seatmap_bench_${tag}_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(adminUrl: string, text: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Runs `work` with a connected pg client. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface BenchServer {
  url: string;
  process: ChildProcess;
  /** Where the server's log went. */
  logFile: string;
  stop(): Promise<void>;
}

/**
 * Starts the server exactly as `npm start` does (server/src/main.ts of `root`, so another checkout can be measured
 * with the same bench) as a child process, and waits until /health/ready answers. `WORKERS` in `env` starts that
 * many cluster workers on the one port. The log goes to a file (request logging stays as configured: it is part of
 * what is measured).
 */
export async function startServer(
  root: string,
  env: Record<string, string>,
  nodeFlags: string[] = [],
): Promise<BenchServer> {
  const logFile = join(tmpdir(), `seatmap-bench-${env.PORT}-${Date.now()}.log`);
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      RATE_LIMIT_PER_MINUTE: '0',
      LIVE_CONNECTS_PER_MINUTE: '0',
      // Every simulated buyer is 127.0.0.1: the per-address cap on held seats (SPEC §11) off.
      MAX_HELD_SEATS_PER_CLIENT: '0',
      SHUTDOWN_DELAY_MS: '0',
      // On a shared box the event loop lags for reasons of its own; shedding would measure the box, not the path.
      SHED_EVENT_LOOP_DELAY_MS: '0',
      ...env,
    },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const url = `http://127.0.0.1:${env.PORT}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 180_000;
  for (;;) {
    const early = await Promise.race([exited, new Promise<'wait'>((r) => setTimeout(() => r('wait'), 250))]);
    if (early !== 'wait') throw new Error(`bench server exited (${early}) before it was ready; log: ${logFile}`);
    try {
      const res = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`bench server not ready within 180 s; log: ${logFile}`);
    }
  }
  return {
    url,
    process: child,
    logFile,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const done = await Promise.race([
        exited.then(() => true),
        new Promise((r) => setTimeout(() => r(false), 15_000)),
      ]);
      if (!done) child.kill('SIGKILL');
    },
  };
}
