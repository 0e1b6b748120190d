import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RedisClient } from '../../server/src/holds/redis-client.ts';
import { queueStoreContract } from '../../server/src/queue/queue-store.contract.ts';
import { QueueStateLost } from '../../server/src/queue/queue-store.ts';
import { createRedisQueueStore } from '../../server/src/queue/redis-queue-store.ts';
import { connectTestRedis as connect, deleteKeys } from '../support/redis.ts';
import { connectTestCluster, sharedRedisCluster } from '../support/redis-cluster.ts';
import { realServices, testRedisPrefix } from '../support/services.ts';

const available = await realServices();

/** The same contract on the single Redis and on the run's shared Redis Cluster (one concert = one slot). */
const redisBackends = [
  { name: 'single Redis', connect: (): Promise<RedisClient> => connect() },
  { name: 'Redis Cluster', connect: async (): Promise<RedisClient> => connectTestCluster(await sharedRedisCluster()) },
];

describe.skipIf(!available).each(redisBackends)('redis queue store on a $name', ({ name, connect }) => {
  queueStoreContract(`redis (${name})`, async () => {
    const clients = [await connect()];
    const prefix = testRedisPrefix();
    const clock = { now: Date.now() };
    const make = (redis: RedisClient) => createRedisQueueStore({ redis, prefix, now: () => clock.now });
    return {
      store: make(clients[0]!),
      clock,
      peer: async () => {
        const redis = await connect();
        clients.push(redis);
        return make(redis);
      },
      close: async () => {
        await deleteKeys(clients[0]!, prefix);
        await Promise.all(clients.map((c) => c.quit()));
      },
    };
  });
});

describe.skipIf(!available)('redis queue store', () => {
  it("keeps one concert's keys under one hash tag, uses Redis's clock without an injected one, and fails closed when its data is gone", async () => {
    const redis = await connect();
    const prefix = testRedisPrefix();
    try {
      const store = createRedisQueueStore({ redis, prefix });
      const concertId = randomUUID();
      await store.arm(concertId, 's');
      const settings = { opensAt: 0, admitPerMinute: 600, maxActive: 10, sessionMs: 60_000, paused: false };
      const view = await store.join(concertId, settings, 'm1', 0);
      const [seconds] = await redis.time();
      expect(Math.abs(view.now - Number(seconds) * 1000)).toBeLessThan(2000);
      expect(await store.admit(concertId, settings, 10)).toEqual({ admitted: 1, expiredHolds: [] });
      const keys = await redis.keys(`${prefix}*`);
      expect(keys.sort()).toEqual(
        ['active', 'adm', 'admitted', 'log', 'meta'].map((k) => `${prefix}queue:{q:${concertId}}:${k}`),
      );
      // Redis lost the data (restart without persistence): every step fails closed until the box office re-arms.
      await deleteKeys(redis, prefix);
      await expect(store.view(concertId, settings, 'm1')).rejects.toBeInstanceOf(QueueStateLost);
      await expect(store.admit(concertId, settings, 10)).rejects.toBeInstanceOf(QueueStateLost);
      await expect(store.admission(concertId, 'x')).rejects.toBeInstanceOf(QueueStateLost);
      expect(await store.arm(concertId, 's2')).toBe(true);
      expect(await store.view(concertId, settings, 'm1')).toBeNull();
    } finally {
      await deleteKeys(redis, prefix);
      await redis.quit();
    }
  });
});
