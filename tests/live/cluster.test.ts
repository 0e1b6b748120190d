import type { SeatsChanged } from '@seatmap/shared';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeatLayout } from '../../server/src/catalog/seat-layouts.ts';
import {
  createRedisClient,
  createRedisClusterClient,
  type RedisClient,
  waitForRedis,
} from '../../server/src/holds/redis-client.ts';
import { createRedisHoldStore } from '../../server/src/holds/redis-hold-store.ts';
import { seatEventChannel } from '../../server/src/holds/seat-event.ts';
import type { EventBus } from '../../server/src/live/event-bus.ts';
import { createRedisEventBus } from '../../server/src/live/redis-event-bus.ts';
import { sharedRedisCluster } from '../support/redis-cluster.ts';
import { realServices, testRedisPrefix, testRedisUrl } from '../support/services.ts';
import {
  type ClientSocket,
  collect,
  feedClient,
  socketClient,
  startNode,
  TestDirectory,
  type TestNode,
  waitFor,
} from './support.ts';

const enabled = await realServices();

/**
 * Like the app's clients: fail fast while disconnected; the subscriber resubscribes by itself. One Redis: the bus
 * gets a connection of its own; a Redis Cluster: the bus opens one per master from the cluster client's slots.
 */
const backends = {
  'one Redis': async () => {
    const redis = createRedisClient(testRedisUrl);
    const sub = redis.duplicate({ autoResubscribe: false });
    await Promise.all([waitForRedis(redis), waitForRedis(sub)]);
    return { redis, sub };
  },
  'a Redis Cluster': async () => {
    const redis = createRedisClusterClient(await sharedRedisCluster());
    await waitForRedis(redis, 10_000);
    return { redis, sub: redis };
  },
};

/** Subscribers of a shard channel: on a cluster only the master owning its slot counts them. */
async function shardSubscribers(redis: RedisClient, channel: string): Promise<number> {
  const count = async (node: RedisClient) => ((await node.pubsub('SHARDNUMSUB', channel)) as [string, number])[1];
  if (!(redis instanceof Cluster)) return count(redis);
  return (await Promise.all(redis.nodes('master').map(count))).reduce((a, b) => a + b, 0);
}

/** Three nodes sharing one Redis and one prefix, as `npm run start:cluster` runs them; changes go through the store. */
describe.runIf(enabled).each(Object.keys(backends) as (keyof typeof backends)[])(
  'live seat map across three nodes (%s)',
  (backend) => {
    const prefix = testRedisPrefix();
    const layouts = new Map<string, SeatLayout>();
    const nodes: { node: TestNode; bus: EventBus; redis: RedisClient; directory: TestDirectory }[] = [];
    const clients: ClientSocket[] = [];

    beforeAll(async () => {
      for (let i = 0; i < 3; i++) {
        const { redis, sub } = await backends[backend]();
        const bus = createRedisEventBus({ sub, prefix });
        const directory = new TestDirectory(createRedisHoldStore({ redis, prefix, ownsClient: false }), layouts);
        const node = await startNode({ bus, directory, redis, config: { REDIS_KEY_PREFIX: prefix } });
        nodes.push({ node, bus, redis, directory });
      }
      await nodes[0]!.directory.store.ensureLoaded();
    });
    afterAll(async () => {
      for (const c of clients) c.disconnect();
      for (const { node, bus, redis } of nodes) {
        await node.app.close();
        await bus.close();
        await redis.quit();
      }
    });

    async function watcher(nodeIndex: number, scheduleId: string) {
      const socket = socketClient(nodes[nodeIndex]!.node.url);
      clients.push(socket);
      const events = collect(socket);
      expect(await socket.emitWithAck('schedule:join', scheduleId)).toMatchObject({ ok: true });
      return events;
    }
    const expectContiguous = (events: SeatsChanged[], from: number, to: number) => {
      let version = from;
      for (const e of events) {
        expect(e.fromVersion).toBe(version);
        expect(e.version - e.fromVersion).toBe(e.changes.length);
        version = e.version;
      }
      expect(version).toBe(to);
    };

    it('delivers a change made through node 2 to watchers on nodes 1 and 3, once each', async () => {
      const { scheduleId, seatIds } = nodes[1]!.directory.addSchedule();
      const on1 = await watcher(0, scheduleId);
      const on3 = await watcher(2, scheduleId);
      await nodes[1]!.directory.hold(scheduleId, [seatIds[0]!]);
      await waitFor(() => on1.length === 1 && on3.length === 1, undefined, 'both watchers');
      const expected = {
        scheduleId,
        fromVersion: 0,
        version: 1,
        changes: [{ seatId: seatIds[0], index: 0, status: 'held' }],
      };
      expect(on1[0]).toEqual(expected);
      expect(on3[0]).toEqual(expected);
      // Each node emits to its own sockets only: a second change arrives as the second event, no copy between.
      await nodes[2]!.directory.store.markReserved(scheduleId, [seatIds[1]!]);
      await waitFor(() => on1.length >= 2 && on3.length >= 2, undefined, 'the second change');
      for (const events of [on1, on3]) expectContiguous(events, 0, 2);
    });

    it('delivers a change made through node 3 to a plain feed on node 1', async () => {
      const { scheduleId, seatIds } = nodes[0]!.directory.addSchedule();
      const feed = feedClient(nodes[0]!.node.url, scheduleId);
      await waitFor(() => feed.messages.length === 1, undefined, 'snapshot');
      await nodes[2]!.directory.store.markReserved(scheduleId, [seatIds[3]!]);
      await waitFor(() => feed.messages.length === 2, undefined, 'feed change');
      expect(feed.messages[1]).toEqual({
        type: 'seats:changed',
        scheduleId,
        fromVersion: 0,
        version: 1,
        changes: [{ seatId: seatIds[3], index: 3, status: 'reserved' }],
      });
      feed.ws.close();
    });

    it('100 changes made at once through three nodes reach every watcher in order, none missing', async () => {
      const { scheduleId, seatIds } = nodes[0]!.directory.addSchedule(100);
      const on1 = await watcher(0, scheduleId);
      const on3 = await watcher(2, scheduleId);
      await Promise.all(seatIds.map((seatId, i) => nodes[i % 3]!.directory.hold(scheduleId, [seatId])));
      const total = (events: SeatsChanged[]) => events.reduce((n, e) => n + e.changes.length, 0);
      await waitFor(() => total(on1) === 100 && total(on3) === 100, undefined, 'all 100 changes');
      for (const events of [on1, on3]) {
        expectContiguous(events, 0, 100);
        expect(new Set(events.flatMap((e) => e.changes.map((c) => c.seatId)))).toEqual(new Set(seatIds));
      }
    });

    it('drops invalid payloads on a channel and keeps delivering valid ones', async () => {
      const { scheduleId, seatIds } = nodes[0]!.directory.addSchedule();
      const on1 = await watcher(0, scheduleId);
      const channel = seatEventChannel(prefix, scheduleId);
      const pub = nodes[1]!.redis;
      await pub.spublish(channel, 'not json');
      await pub.spublish(channel, JSON.stringify({ scheduleId, fromVersion: 0, version: 1, changes: 'x' }));
      await nodes[1]!.directory.hold(scheduleId, [seatIds[0]!]);
      // One channel is one order: the two bad messages were handled before the good one arrived.
      await waitFor(() => on1.length === 1, undefined, 'valid event');
      expect(on1).toEqual([
        { scheduleId, fromVersion: 0, version: 1, changes: [{ seatId: seatIds[0], index: 0, status: 'held' }] },
      ]);
    });

    it('subscribes a node to a performance only while it has watchers of it', async () => {
      const { scheduleId } = nodes[0]!.directory.addSchedule();
      const channel = seatEventChannel(prefix, scheduleId);
      const subscribers = () => shardSubscribers(nodes[0]!.redis, channel);
      expect(await subscribers()).toBe(0);
      await watcher(1, scheduleId);
      expect(await subscribers()).toBe(1);
      expect(nodes[1]!.node.live.counters().subscriptions).toBeGreaterThan(0);
    });
  },
);
