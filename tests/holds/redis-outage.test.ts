import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../server/src/errors.ts';
import { newHoldId } from '../../server/src/holds/hold-store.contract.ts';
import type { HoldStore } from '../../server/src/holds/hold-store.ts';
import { createRedisClient, waitForRedis } from '../../server/src/holds/redis-client.ts';
import { createRedisHoldStore } from '../../server/src/holds/redis-hold-store.ts';
import { hasRedisServer, type RedisServer, startRedis, stopRedis } from '../support/processes.ts';

describe.skipIf(!hasRedisServer)('redis hold store when Redis goes away', () => {
  let port: number;
  let server: RedisServer;
  let redis: Redis;
  let store: HoldStore;

  beforeAll(async () => {
    server = await startRedis();
    port = server.port;
    redis = createRedisClient(`redis://127.0.0.1:${port}`, { commandTimeoutMs: 500 });
    await waitForRedis(redis);
    store = createRedisHoldStore({ redis, prefix: 'outage:' });
  });
  afterAll(async () => {
    await store?.close();
    if (server) await stopRedis(server);
  });

  it('answers ServiceUnavailableError within 2 s while down and works again after a restart', async () => {
    const scheduleId = randomUUID();
    const seatId = randomUUID();
    const first = await store.create({ holdId: newHoldId(scheduleId), scheduleId, seatIds: [seatId], ttlMs: 60_000 });
    expect(first.ok).toBe(true);

    await stopRedis(server);
    for (const call of [
      () => store.create({ holdId: newHoldId(scheduleId), scheduleId, seatIds: [randomUUID()], ttlMs: 60_000 }),
      () => store.sweepExpired(),
      () => store.ensureLoaded(),
      () => store.ping(),
    ]) {
      const started = Date.now();
      const err = await call().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ServiceUnavailableError);
      expect((err as ServiceUnavailableError).service).toBe('hold-store');
      expect(Date.now() - started).toBeLessThan(2000);
    }

    // Let the client notice the outage before the server comes back, as it would in real life.
    while (redis.status === 'ready') await sleep(10);
    server = await startRedis(port);
    await waitForRedis(redis, 5000);
    // The restarted server has no data: the store reloads the reserved markers by itself; holds start over.
    expect(await redis.exists(`outage:{${scheduleId}}:loaded`)).toBe(0);
    const again = await store.create({ holdId: newHoldId(scheduleId), scheduleId, seatIds: [seatId], ttlMs: 60_000 });
    expect(again.ok).toBe(true);
    expect(again.ok && again.event?.changes).toEqual([{ seatId, status: 'held' }]);
  });

  it('answers ServiceUnavailableError within 2 s when Redis hangs (command timeout)', async () => {
    server.child.kill('SIGSTOP');
    try {
      const started = Date.now();
      const err = await store.states(randomUUID()).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ServiceUnavailableError);
      expect(((err as Error).cause as Error).message).toMatch(/timed out/i);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      server.child.kill('SIGCONT');
    }
    await waitForRedis(redis, 5000);
    expect((await store.states(randomUUID())).version).toBe(0);
  });
});
