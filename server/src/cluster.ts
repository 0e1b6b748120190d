import cluster, { type Worker } from 'node:cluster';
import type { Config } from './config.ts';
import { serveClusterMetrics } from './metrics/cluster-metrics.ts';

/** Why a config cannot run several workers, or null when it can. */
export function workersRefusal(
  config: Pick<Config, 'WORKERS' | 'DATABASE_URL' | 'REDIS_URL' | 'REDIS_CLUSTER_NODES'>,
): string | null {
  if (config.WORKERS <= 1 || (config.DATABASE_URL && (config.REDIS_URL || config.REDIS_CLUSTER_NODES))) return null;
  return (
    `WORKERS=${config.WORKERS} needs DATABASE_URL and REDIS_URL: embedded mode (PGlite, in-process holds and events) ` +
    'is a single process, and several workers would each sell the same seats from their own copy. ' +
    'Start without --workers/WORKERS, or point DATABASE_URL and REDIS_URL (or REDIS_CLUSTER_NODES) at Postgres and Redis.'
  );
}

/** A worker that dies this soon after it started listening is not restarted (it would only crash again). */
const MIN_LIFETIME_MS = 10_000;

/**
 * The cluster primary of `npm start -- --workers N`: N worker processes (node:cluster) share one port, each a full
 * node like a separate machine would run — its own pools, caches and live gateway, sharing Postgres and Redis.
 * The primary only forks, restarts a worker that dies, aggregates the workers' metrics for `/metrics`
 * (cluster-metrics.ts), and relays SIGTERM/SIGINT as one drain (every worker gets SIGTERM once and drains as a
 * single node does). The first worker starts alone, so migrations and the demo data run once; the others start
 * when it listens.
 */
export function runPrimary(config: Config, log: (line: string) => void = console.log): void {
  let stopping = false;
  let exitCode = 0;
  const started = new Map<Worker, number>();

  const fork = (seed: boolean) => {
    const worker = cluster.fork({ SEED_DEMO: seed ? String(config.SEED_DEMO) : 'false' });
    worker.once('listening', () => started.set(worker, Date.now()));
    return worker;
  };
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    if (workers.length === 0) process.exit(exitCode);
    for (const worker of workers) worker.process.kill('SIGTERM');
    // Each worker drains for SHUTDOWN_DELAY_MS and cuts a stuck close after 10 s more (main.ts).
    setTimeout(() => {
      for (const worker of workers) if (!worker.isDead()) worker.process.kill('SIGKILL');
    }, config.SHUTDOWN_DELAY_MS + 15_000).unref();
  };

  cluster.on('exit', (worker, code, signal) => {
    const listenedAt = started.get(worker);
    started.delete(worker);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
      return;
    }
    if (listenedAt === undefined || Date.now() - listenedAt < MIN_LIFETIME_MS) {
      log(`cluster: worker ${worker.process.pid} stopped (${signal ?? code}) while starting; stopping the cluster`);
      stop(1);
      return;
    }
    log(`cluster: worker ${worker.process.pid} stopped (${signal ?? code}); starting another`);
    fork(false);
  });

  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));
  // /metrics on the shared port answers for every worker (cluster-metrics.ts).
  serveClusterMetrics();

  const listening = new Set<Worker>();
  let announced = false;
  cluster.on('listening', (worker) => {
    listening.add(worker);
    if (listening.size === 1) for (let i = 1; i < config.WORKERS; i++) fork(false);
    if (!announced && listening.size === config.WORKERS) {
      announced = true;
      log(`cluster: ${config.WORKERS} workers listening on ${config.HOST}:${config.PORT} (primary ${process.pid})`);
    }
  });
  fork(true);
}

/** In a worker: the primary relays every stop signal as one SIGTERM, so a terminal's Ctrl-C to the group is not a second one. */
export function ignoreGroupInterrupt(): void {
  if (cluster.isWorker) process.on('SIGINT', () => {});
}
