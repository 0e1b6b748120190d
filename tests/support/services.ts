import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';

/**
 * Real Postgres and Redis for integration tests. `TEST_DATABASE_URL` / `TEST_REDIS_URL` (or DATABASE_URL /
 * REDIS_URL) name them; the defaults are the local services. With CI=true an unreachable service fails the
 * run instead of skipping the real-service half of a suite.
 */
export const testDatabaseUrl =
  process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const testRedisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const isCI = process.env.CI === 'true' || process.env.CI === '1';

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: testDatabaseUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function redisReachable(): Promise<boolean> {
  const redis = new Redis(testRedisUrl, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0 });
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

let probe: Promise<{ postgres: boolean; redis: boolean }> | undefined;

/** Whether real Postgres and Redis can be used; throws under CI when either is missing. */
export async function realServices(): Promise<boolean> {
  probe ??= Promise.all([postgresReachable(), redisReachable()]).then(([postgres, redis]) => ({ postgres, redis }));
  const { postgres, redis } = await probe;
  if (postgres && redis) return true;
  const missing = [!postgres && `Postgres at ${testDatabaseUrl}`, !redis && `Redis at ${testRedisUrl}`].filter(Boolean);
  if (isCI) throw new Error(`CI=true but ${missing.join(' and ')} is unreachable`);
  console.warn(`[tests] skipping real-service suites: ${missing.join(' and ')} unreachable`);
  return false;
}

/** A fresh database on the test Postgres server; `drop()` removes it. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `seatmap_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: testDatabaseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A Redis key prefix no other test file uses. */
export function testRedisPrefix(): string {
  return `test:${randomBytes(6).toString('hex')}:`;
}
