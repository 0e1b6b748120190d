import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SeatsChanged } from '@seatmap/shared';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdStoreContract, newHoldId } from '../../server/src/holds/hold-store.contract.ts';
import type { HoldStore } from '../../server/src/holds/hold-store.ts';
import { createRedisClient, waitForRedis } from '../../server/src/holds/redis-client.ts';
import { createRedisHoldStore } from '../../server/src/holds/redis-hold-store.ts';
import { startSweeper } from '../../server/src/holds/sweeper.ts';
import { realServices, testRedisPrefix, testRedisUrl } from '../support/services.ts';

const available = await realServices();

async function connect(): Promise<Redis> {
  const redis = createRedisClient(testRedisUrl);
  await waitForRedis(redis);
  return redis;
}

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

describe.skipIf(!available)('redis hold store', () => {
  holdStoreContract('redis', async () => {
    const redis = await connect();
    const prefix = testRedisPrefix();
    return {
      store: createRedisHoldStore({ redis, prefix, ownsClient: false }),
      elapse: (ms) => sleep(ms),
      close: async () => {
        await deleteKeys(redis, prefix);
        await redis.quit();
      },
    };
  });

  describe('on a shared Redis', () => {
    const prefix = testRedisPrefix();
    const clients: Redis[] = [];
    const stores: HoldStore[] = [];

    beforeAll(async () => {
      for (let i = 0; i < 4; i++) {
        const redis = await connect();
        clients.push(redis);
        stores.push(createRedisHoldStore({ redis, prefix, ownsClient: false }));
      }
    });
    afterAll(async () => {
      if (clients[0]) await deleteKeys(clients[0], prefix);
      await Promise.all(clients.map((c) => c.quit()));
    });

    it('keeps the seed layout: seat_lock:{seatId} names the hold, with a TTL past the hold', async () => {
      const [store, redis] = [stores[0]!, clients[0]!];
      const seatId = randomUUID();
      const holdId = newHoldId();
      const outcome = await store.create({ holdId, scheduleId: randomUUID(), seatIds: [seatId], ttlMs: 300_000 });
      expect(outcome.ok).toBe(true);
      expect(await redis.get(`${prefix}seat_lock:${seatId}`)).toBe(holdId);
      const ttl = await redis.pttl(`${prefix}seat_lock:${seatId}`);
      expect(ttl).toBeGreaterThan(300_000);
      expect(ttl).toBeLessThanOrEqual(330_000);
      expect(await redis.zscore(`${prefix}holds:expiry`, holdId)).toBe(String(outcome.ok && outcome.hold.expiresAt));
      await store.release(holdId);
      expect(await redis.exists(`${prefix}seat_lock:${seatId}`, `${prefix}hold:${holdId}`)).toBe(0);
    });

    it('gives 2 seats to exactly one of 200 parallel creates', async () => {
      const scheduleId = randomUUID();
      const seatIds = [randomUUID(), randomUUID()];
      const outcomes = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          stores[i % stores.length]!.create({ holdId: newHoldId(), scheduleId, seatIds, ttlMs: 60_000 }),
        ),
      );
      const winners = outcomes.filter((o) => o.ok);
      expect(winners).toHaveLength(1);
      for (const o of outcomes) {
        if (!o.ok) expect(o).toEqual({ ok: false, reason: 'unavailable', unavailableSeatIds: seatIds });
      }
      expect(await stores[0]!.states(scheduleId)).toEqual({ version: 2, held: expect.any(Array), reserved: [] });
    });

    it('releases each of 50 expired holds exactly once when two sweepers race', async () => {
      const scheduleIds = [randomUUID(), randomUUID()];
      const seatIds: string[] = [];
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => {
          const holdSeats = [randomUUID(), randomUUID()];
          seatIds.push(...holdSeats);
          return stores[0]!.create({
            holdId: newHoldId(),
            scheduleId: scheduleIds[i % 2]!,
            seatIds: holdSeats,
            ttlMs: 200,
          });
        }),
      );
      await sleep(350);
      const sweepUntilEmpty = async (store: HoldStore) => {
        const events = [];
        for (;;) {
          const batch = await store.sweepExpired(3);
          if (batch.length === 0) return events;
          events.push(...batch);
        }
      };
      const [one, two] = await Promise.all([sweepUntilEmpty(stores[1]!), sweepUntilEmpty(stores[2]!)]);
      const events = [...one, ...two];
      expect(one.length).toBeGreaterThan(0);
      expect(two.length).toBeGreaterThan(0);
      const freed = events.flatMap((e) => e.changes.map((c) => `${c.seatId}:${c.status}`));
      expect(freed.sort()).toEqual(seatIds.map((s) => `${s}:available`).sort());
      for (const scheduleId of scheduleIds) {
        const versions = events
          .filter((e) => e.scheduleId === scheduleId)
          .sort((a, b) => a.fromVersion - b.fromVersion)
          .map((e) => [e.fromVersion, e.version]);
        // 50 seats held per schedule, then the events continue the version without gaps or overlaps.
        expect(versions[0]![0]).toBe(50);
        for (let i = 1; i < versions.length; i++) expect(versions[i]![0]).toBe(versions[i - 1]![1]);
        expect(versions.at(-1)![1]).toBe(100);
      }
    });

    it("frees a dead node's hold within 1 s through the other nodes' sweepers, once", async () => {
      const maker = await connect();
      const makerStore = createRedisHoldStore({ redis: maker, prefix });
      const scheduleId = randomUUID();
      const seatIds = [randomUUID(), randomUUID()];
      const madeAt = Date.now();
      const made = await makerStore.create({ holdId: newHoldId(), scheduleId, seatIds, ttlMs: 300 });
      expect(made.ok).toBe(true);
      await makerStore.close();
      const received: SeatsChanged[] = [];
      const errors: unknown[] = [];
      const stops = [stores[1]!, stores[2]!].map((store) =>
        startSweeper(store, {
          intervalMs: 50,
          onEvents: (events) => void received.push(...events.filter((e) => e.scheduleId === scheduleId)),
          onError: (err) => errors.push(err),
        }),
      );
      while (received.length === 0 && Date.now() - madeAt < 2500) await sleep(10);
      const freedAt = Date.now();
      await sleep(200);
      await Promise.all(stops.map((stop) => stop()));
      expect(errors).toEqual([]);
      // SPEC: broadcast within 1 s of the expiry.
      expect(freedAt - (made.ok ? made.hold.expiresAt : 0)).toBeLessThan(1000);
      expect(received).toHaveLength(1);
      expect(received[0]!.version - received[0]!.fromVersion).toBe(2);
      expect(received[0]!.changes.map((c) => c.seatId).sort()).toEqual([...seatIds].sort());
    });

    it('needs a reload when the sentinel is gone (Redis lost its data)', async () => {
      const [store, redis] = [stores[3]!, clients[3]!];
      await store.loadReserved(new Map());
      expect(await store.needsReload()).toBe(false);
      await redis.del(`${prefix}reserved:loaded`);
      expect(await store.needsReload()).toBe(true);
    });

    it('refuses a hold id already in use without touching its seats', async () => {
      const store = stores[0]!;
      const holdId = newHoldId();
      const scheduleId = randomUUID();
      await store.create({ holdId, scheduleId, seatIds: [randomUUID()], ttlMs: 60_000 });
      await expect(store.create({ holdId, scheduleId, seatIds: [randomUUID()], ttlMs: 60_000 })).rejects.toThrow(
        'hold id already in use',
      );
      expect((await store.states(scheduleId)).version).toBe(1);
    });
  });
});
