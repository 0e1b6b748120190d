import type { Redis } from 'ioredis';
import { createRedisClient, waitForRedis } from '../../server/src/holds/redis-client.ts';
import { testRedisUrl } from './services.ts';

/** A client like the app's (fail fast, no offline queue) on the shared test Redis, once it is ready. */
export async function connectTestRedis(): Promise<Redis> {
  const redis = createRedisClient(testRedisUrl);
  await waitForRedis(redis);
  return redis;
}

/** Removes every key under a test file's prefix (the shared Redis outlives the test). */
export { deleteKeys } from '../../scripts/loadtest/redis-keys.ts';
