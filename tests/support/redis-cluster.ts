import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster } from 'ioredis';
import { inject } from 'vitest';
import { type RedisClusterServer, startRedisCluster } from '../../scripts/redis-cluster.ts';
import { createRedisClusterClient, waitForRedis } from '../../server/src/holds/redis-client.ts';
import type { SharedState } from './cluster-setup.ts';
import { hasRedisServer } from './processes.ts';
import { isCI } from './services.ts';

export { type RedisClusterServer, startRedisCluster };

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where this test run keeps its shared Redis Cluster's state (tests/support/cluster-setup.ts). */
    redisClusterRunDir: string;
  }
}

/**
 * The test run's shared 3-master Redis Cluster (with a replica each, ports 7101-7106 unless another run holds
 * them), started by the first test file that asks and stopped when the run ends (cluster-setup.ts). Suites run on
 * it with their own key prefix, as on the shared single Redis. With CI=true a missing redis-server fails the run.
 */
export async function sharedRedisCluster(): Promise<string> {
  if (!hasRedisServer) {
    if (isCI) throw new Error('CI=true but redis-server is not installed (needed for the Redis Cluster suites)');
    throw new Error('redis-server is not installed');
  }
  const dir = inject('redisClusterRunDir');
  const stateFile = join(dir, 'cluster.json');
  const errorFile = join(dir, 'cluster.error');
  let starter = false;
  try {
    mkdirSync(join(dir, 'lock'));
    starter = true;
  } catch {
    // another file of this run starts it
  }
  if (starter) {
    try {
      const cluster = await startRedisCluster({ masters: 3, replicas: 1 });
      const state: SharedState = { nodes: cluster.nodes, ...cluster.processes() };
      writeFileSync(stateFile, JSON.stringify(state));
    } catch (err) {
      writeFileSync(errorFile, String(err));
      throw err;
    }
  }
  for (let i = 0; !existsSync(stateFile); i++) {
    if (existsSync(errorFile)) throw new Error(`the shared Redis Cluster did not start: ${readFileSync(errorFile)}`);
    if (i > 6000) throw new Error('timed out waiting for the shared Redis Cluster');
    await sleep(50);
  }
  return (JSON.parse(readFileSync(stateFile, 'utf8')) as SharedState).nodes;
}

/** A cluster client like the app's (fail fast per node), once it is ready. */
export async function connectTestCluster(nodes: string): Promise<Cluster> {
  const cluster = createRedisClusterClient(nodes);
  await waitForRedis(cluster, 10_000);
  return cluster;
}
