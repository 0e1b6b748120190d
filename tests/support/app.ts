import type { AddressInfo } from 'node:net';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { type BuildOptions, buildApp } from '../../server/src/app.ts';
import { type Config, testConfig } from '../../server/src/config.ts';
import { sharedRedisCluster } from './redis-cluster.ts';
import { createTestDatabase, realServices, testRedisPrefix, testRedisUrl } from './services.ts';

/** `cluster`: real Postgres and the run's shared Redis Cluster (REDIS_CLUSTER_NODES) instead of the single Redis. */
export type Backend = 'embedded' | 'real' | 'cluster';

export interface TestApp {
  app: FastifyInstance;
  backend: Backend;
  config: Config;
  close(): Promise<void>;
}

/**
 * Backends an integration suite runs on: always the embedded stores (PGlite in memory + in-process holds), and
 * real Postgres + Redis when reachable (required under CI=true).
 */
export async function backends(): Promise<Backend[]> {
  return (await realServices()) ? ['embedded', 'real'] : ['embedded'];
}

/**
 * The backends plus a Redis Cluster one, for the suites that must hold on a cluster too (SPEC §14: hold store,
 * booking concurrency, live delivery, the waiting room); the rest run on `backends()`.
 */
export async function backendsWithCluster(): Promise<Backend[]> {
  return (await realServices()) ? ['embedded', 'real', 'cluster'] : ['embedded'];
}

/** The Redis part of a config for the run's shared Redis Cluster. */
export async function clusterRedisConfig(): Promise<Partial<Config>> {
  return { REDIS_URL: undefined, REDIS_CLUSTER_NODES: await sharedRedisCluster() };
}

/** A fresh server on its own database (and Redis prefix) for one test file. */
export async function startTestApp(
  backend: Backend,
  overrides: Partial<Config> = {},
  options: BuildOptions = {},
): Promise<TestApp> {
  let dropDatabase = async () => {};
  let config: Config;
  if (backend !== 'embedded') {
    const database = await createTestDatabase();
    dropDatabase = database.drop;
    config = testConfig({
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl,
      REDIS_KEY_PREFIX: testRedisPrefix(),
      RATE_LIMIT_PER_MINUTE: 0,
      ...(backend === 'cluster' ? await clusterRedisConfig() : {}),
      ...overrides,
    });
  } else {
    config = testConfig({ DATABASE_URL: 'memory://', RATE_LIMIT_PER_MINUTE: 0, ...overrides });
  }
  const app = await buildApp(config, { clientDir: null, ...options });
  return {
    app,
    backend,
    config,
    async close() {
      await app.close();
      await dropDatabase();
    },
  };
}

/** JSON body of an inject response, typed loosely for assertions. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON.
export function json(res: LightMyRequestResponse): any {
  return res.body ? JSON.parse(res.body) : undefined;
}

export interface TestCluster {
  nodes: FastifyInstance[];
  /** Base URL of each node, in order. */
  urls: string[];
  close(): Promise<void>;
}

/**
 * N real nodes listening on free ports, sharing one fresh Postgres database and one Redis prefix — the topology
 * `npm run start:cluster` runs. The first node migrates; the others find the schema in place.
 */
export async function startTestCluster(
  count: number,
  overrides: Partial<Config> = {},
  options: BuildOptions = {},
): Promise<TestCluster> {
  const database = await createTestDatabase();
  const config = testConfig({
    DATABASE_URL: database.url,
    REDIS_URL: testRedisUrl,
    REDIS_KEY_PREFIX: testRedisPrefix(),
    RATE_LIMIT_PER_MINUTE: 0,
    ...overrides,
  });
  const nodes: FastifyInstance[] = [];
  const urls: string[] = [];
  for (let i = 0; i < count; i++) {
    const app = await buildApp(config, { clientDir: null, ...options });
    await app.listen({ host: '127.0.0.1', port: 0 });
    nodes.push(app);
    urls.push(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
  }
  return {
    nodes,
    urls,
    async close() {
      for (const app of nodes) await app.close();
      await database.drop();
    },
  };
}

/**
 * The nodes a suite that must hold "across nodes" runs on: two real nodes sharing one Postgres database and one Redis
 * prefix on real services, the one embedded node otherwise (embedded mode is single-node by design).
 */
export async function startNodes(
  backend: Backend,
  overrides: Partial<Config> = {},
  options: BuildOptions = {},
): Promise<{ nodes: FastifyInstance[]; close(): Promise<void> }> {
  if (backend === 'real') return startTestCluster(2, overrides, options);
  const t = await startTestApp(backend, overrides, options);
  return { nodes: [t.app], close: t.close };
}
