import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeReservedSeats, holdStoreContract, newHoldId } from '../../server/src/holds/hold-store.contract.ts';
import type { HoldStore, SeatEvent } from '../../server/src/holds/hold-store.ts';
import { createRedisClusterClient, type RedisClient, waitForRedis } from '../../server/src/holds/redis-client.ts';
import { createRedisHoldStore } from '../../server/src/holds/redis-hold-store.ts';
import { publishedSeatEventSchema, seatEventChannel, seatEventSchema } from '../../server/src/holds/seat-event.ts';
import { startSweeper } from '../../server/src/holds/sweeper.ts';
import { connectTestRedis, deleteKeys } from '../support/redis.ts';
import { connectTestCluster, sharedRedisCluster } from '../support/redis-cluster.ts';
import { realServices, testRedisPrefix } from '../support/services.ts';
import { waitFor } from '../support/wait.ts';

const available = await realServices();

/**
 * The two Redis backends (SPEC §14): the shared single Redis, and the run's shared 3-master Redis Cluster. The same
 * suites run on both; the cluster's subscriber is a cluster client with sharded subscribers (one per master).
 */
const redisBackends = [
  {
    name: 'single Redis',
    connect: (): Promise<RedisClient> => connectTestRedis(),
    subscriber: (): Promise<RedisClient> => connectTestRedis(),
  },
  {
    name: 'Redis Cluster',
    connect: async (): Promise<RedisClient> => connectTestCluster(await sharedRedisCluster()),
    subscriber: async (): Promise<RedisClient> => {
      const sub = createRedisClusterClient(await sharedRedisCluster(), { cluster: { shardedSubscribers: true } });
      await waitForRedis(sub, 10_000);
      return sub;
    },
  },
];

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  await waitFor(check, timeoutMs, what);
}

/**
 * Resolves once `subscriber` has received everything published on `channel` before this call: Redis writes a
 * channel's messages in publish order, so a marker published on it now arrives after all of them.
 */
async function fence(subscriber: RedisClient, publisher: RedisClient, channel: string): Promise<void> {
  const marker = `fence:${randomUUID()}`;
  try {
    const arrived = new Promise<void>((resolve) =>
      subscriber.on('smessage', (from: string, message: string) => {
        if (from === channel && message === marker) resolve();
      }),
    );
    await publisher.spublish(channel, marker);
    await arrived;
  } finally {
    subscriber.removeAllListeners('smessage');
  }
}

/** Collects what the stores publish for one schedule (sharded pub/sub), on a connection of its own. */
async function listen(redis: RedisClient, prefix: string, scheduleId: string): Promise<SeatEvent[]> {
  const events: SeatEvent[] = [];
  const channel = seatEventChannel(prefix, scheduleId);
  redis.on('smessage', (from: string, message: string) => {
    if (from === channel && !message.startsWith('fence:')) events.push(seatEventSchema.parse(JSON.parse(message)));
  });
  await redis.ssubscribe(channel);
  return events;
}

describe.skipIf(!available).each(redisBackends)('redis hold store on a $name', ({ name, connect, subscriber }) => {
  holdStoreContract(`redis (${name})`, async (reservedSeats) => {
    const redis = await connect();
    const subscribers: RedisClient[] = [];
    const prefix = testRedisPrefix();
    return {
      store: createRedisHoldStore({ redis, prefix, ownsClient: false, reservedSeats }),
      // The Redis store reads Redis TIME: the real clock must pass (the contract then sweeps explicitly).
      elapse: (ms) => sleep(ms),
      listen: async (scheduleId) => {
        const sub = await subscriber();
        subscribers.push(sub);
        return listen(sub, prefix, scheduleId);
      },
      close: async () => {
        await deleteKeys(redis, prefix);
        await Promise.all([redis, ...subscribers].map((c) => c.quit()));
      },
    };
  });

  describe('on a shared Redis', () => {
    const prefix = testRedisPrefix();
    const clients: RedisClient[] = [];
    const stores: HoldStore[] = [];
    beforeAll(async () => {
      for (let i = 0; i < 4; i++) {
        const redis = await connect();
        clients.push(redis);
        stores.push(createRedisHoldStore({ redis, prefix, ownsClient: false }));
      }
      await stores[0]!.ensureLoaded();
    });
    afterAll(async () => {
      if (clients[0]) await deleteKeys(clients[0], prefix);
      await Promise.all(clients.map((c) => c.quit()));
    });

    it("keeps the seed's seat lock under the performance's hash tag: {scheduleId}:seat_lock:<seatId> names the hold", async () => {
      const [store, redis] = [stores[0]!, clients[0]!];
      const [scheduleId, seatId] = [randomUUID(), randomUUID()];
      const holdId = newHoldId(scheduleId);
      const outcome = await store.create({ holdId, scheduleId, seatIds: [seatId], ttlMs: 300_000 });
      expect(outcome.ok).toBe(true);
      const base = `${prefix}{${scheduleId}}:`;
      expect(await redis.get(`${base}seat_lock:${seatId}`)).toBe(holdId);
      const ttl = await redis.pttl(`${base}seat_lock:${seatId}`);
      expect(ttl).toBeGreaterThan(300_000);
      expect(ttl).toBeLessThanOrEqual(330_000);
      expect(await redis.zscore(`${base}expiry`, holdId)).toBe(String(outcome.ok && outcome.hold.expiresAt));
      await store.release(holdId);
      expect(await redis.exists(`${base}seat_lock:${seatId}`, `${base}hold:${holdId}`)).toBe(0);
    });

    it('stamps each published event with the publish time from Redis TIME (for the fan-out lag)', async () => {
      const scheduleId = randomUUID();
      const sub = await subscriber();
      const raw: string[] = [];
      sub.on('smessage', (from: string, message: string) => {
        if (from === seatEventChannel(prefix, scheduleId)) raw.push(message);
      });
      await sub.ssubscribe(seatEventChannel(prefix, scheduleId));
      const [seconds, micros] = await clients[0]!.time();
      const before = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
      await stores[0]!.create({ holdId: newHoldId(scheduleId), scheduleId, seatIds: [randomUUID()], ttlMs: 60_000 });
      await until(() => raw.length === 1, 'the event');
      await sub.quit();
      const published = publishedSeatEventSchema.parse(JSON.parse(raw[0]!));
      const [s2, us2] = await clients[0]!.time();
      expect(published.publishedAt).toBeGreaterThanOrEqual(before);
      expect(published.publishedAt).toBeLessThanOrEqual(Number(s2) * 1000 + Math.floor(Number(us2) / 1000));
      // The SPEC-shaped event is the rest: the field is the only addition.
      expect(Object.keys(JSON.parse(raw[0]!)).sort()).toEqual(
        ['changes', 'fromVersion', 'publishedAt', 'scheduleId', 'version'].sort(),
      );
    });

    it('gives 2 seats to exactly one of 200 parallel creates', async () => {
      const scheduleId = randomUUID();
      const seatIds = [randomUUID(), randomUUID()];
      const outcomes = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          stores[i % stores.length]!.create({ holdId: newHoldId(scheduleId), seatIds, scheduleId, ttlMs: 60_000 }),
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
            holdId: newHoldId(scheduleIds[i % 2]!),
            scheduleId: scheduleIds[i % 2]!,
            seatIds: holdSeats,
            ttlMs: 200,
          });
        }),
      );
      // Lets the 200 ms TTL pass (the sweeps below are explicit, so nothing else is waited for).
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

    // SPEC's "within 1 s of the expiry" comes from the sweep interval (250 ms by default); how long it takes on a
    // busy machine is no test's business. This holds the function: the other nodes free it, once.
    it("frees a dead node's hold through the other nodes' sweepers, once", async () => {
      const maker = await connect();
      const makerStore = createRedisHoldStore({ redis: maker, prefix });
      const scheduleId = randomUUID();
      const seatIds = [randomUUID(), randomUUID()];
      const made = await makerStore.create({ holdId: newHoldId(scheduleId), scheduleId, seatIds, ttlMs: 300 });
      expect(made.ok).toBe(true);
      await makerStore.close();
      const listener = await subscriber();
      const received = await listen(listener, prefix, scheduleId);
      const errors: unknown[] = [];
      const stops = [stores[1]!, stores[2]!].map((store) =>
        startSweeper(store, { intervalMs: 50, onError: (err) => errors.push(err) }),
      );
      await until(() => received.length > 0, 'the release', 20_000);
      // A few more sweeps on both nodes, then every sweep is over; the fence delivers whatever they published.
      for (const store of [stores[1]!, stores[2]!]) expect(await store.sweepExpired(10)).toEqual([]);
      await Promise.all(stops.map((stop) => stop()));
      await fence(listener, clients[0]!, seatEventChannel(prefix, scheduleId));
      await listener.quit();
      expect(errors).toEqual([]);
      expect(received).toHaveLength(1);
      expect(received[0]!.version - received[0]!.fromVersion).toBe(2);
      expect(received[0]!.changes.map((c) => c.seatId).sort()).toEqual([...seatIds].sort());
    });

    it('after Redis lost its data: markers rebuilt, versions above what any node has seen, watchers told', async () => {
      const own = testRedisPrefix();
      const database = new FakeReservedSeats();
      const [one, two] = [new Map<string, number>(), new Map<string, number>()];
      const [seen, other] = [randomUUID(), randomUUID()];
      const [a, b] = [randomUUID(), randomUUID()];
      // Each node's floors: what its watchers have (node 1 watches `seen`, node 2 watches `other`).
      const [node1, node2] = [one, two].map((floors) =>
        createRedisHoldStore({
          redis: clients[3]!,
          prefix: own,
          ownsClient: false,
          reservedSeats: database,
          versionFloors: () => floors,
        }),
      ) as [HoldStore, HoldStore];
      await node1.ensureLoaded();
      await node2.sweepExpired();
      await node1.create({ holdId: newHoldId(seen), scheduleId: seen, seatIds: [a!], ttlMs: 60_000 });
      await node2.markReserved(other, [b!]);
      database.reserved.set(other, [b!]);
      one.set(seen, 1);
      two.set(other, 1);
      const listener = await subscriber();
      const notices = await listen(listener, own, other);

      await deleteKeys(clients[3]!, own); // the data loss
      // Node 1 changes a seat first: refused until the markers are back, rebuilt with node 1's floors.
      const again = await node1.create({ holdId: newHoldId(seen), scheduleId: seen, seatIds: [a!], ttlMs: 60_000 });
      expect(again.ok && again.event).toMatchObject({ fromVersion: 2, version: 3 });
      expect(await node1.states(other)).toEqual({ version: 1, held: [], reserved: [b] });
      // Node 2 notices the new generation on its next sweep and raises what it has seen, with a notice.
      await node2.sweepExpired();
      expect(await node2.version(other)).toBe(2);
      await until(() => notices.length === 2, 'the rebuild and the raise notices');
      expect(notices.at(-1)).toEqual({ scheduleId: other, fromVersion: 2, version: 2, changes: [] });
      await listener.quit();
      await deleteKeys(clients[3]!, own);
    });

    it('refuses a hold id already in use without touching its seats', async () => {
      const store = stores[0]!;
      const scheduleId = randomUUID();
      const holdId = newHoldId(scheduleId);
      await store.create({ holdId, scheduleId, seatIds: [randomUUID()], ttlMs: 60_000 });
      await expect(store.create({ holdId, scheduleId, seatIds: [randomUUID()], ttlMs: 60_000 })).rejects.toThrow(
        'hold id already in use',
      );
      expect((await store.states(scheduleId)).version).toBe(1);
    });
  });
});
