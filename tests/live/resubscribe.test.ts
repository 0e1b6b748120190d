import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisClient, waitForRedis } from '../../server/src/holds/redis-client.ts';
import { createRedisHoldStore } from '../../server/src/holds/redis-hold-store.ts';
import type { EventBus } from '../../server/src/live/event-bus.ts';
import { createRedisEventBus } from '../../server/src/live/redis-event-bus.ts';
import { realServices, testRedisPrefix, testRedisUrl } from '../support/services.ts';
import {
  type ClientSocket,
  collect,
  socketClient,
  startNode,
  TestDirectory,
  type TestNode,
  waitFor,
} from './support.ts';

const enabled = await realServices();

/**
 * A node that loses its Redis subscriber connection loses the events published meanwhile — a real gap. It must
 * subscribe again by itself and tell its watchers at once (an empty event at the current version), not leave them
 * on a stale map until the next change.
 */
describe.runIf(enabled)('a node whose Redis subscription was lost', () => {
  const prefix = testRedisPrefix();
  let redis: Redis;
  let sub: Redis;
  let subscriberId: number;
  let bus: EventBus;
  let node: TestNode;
  let directory: TestDirectory;
  const clients: ClientSocket[] = [];

  beforeAll(async () => {
    redis = createRedisClient(testRedisUrl);
    sub = redis.duplicate({ autoResubscribe: false });
    await Promise.all([waitForRedis(redis), waitForRedis(sub)]);
    // Our own subscriber connection's id, asked before it enters subscriber mode.
    subscriberId = Number(await sub.client('ID'));
    bus = createRedisEventBus({ sub, prefix });
    directory = new TestDirectory(createRedisHoldStore({ redis, prefix, ownsClient: false }));
    await directory.store.ensureLoaded();
    node = await startNode({ bus, directory, redis, config: { REDIS_KEY_PREFIX: prefix } });
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await node?.app.close();
    await bus?.close();
    await redis?.quit();
  });

  it('resubscribes and sends watchers a notice at the current version; later changes flow again', async () => {
    const { scheduleId, seatIds } = directory.addSchedule(3);
    const socket = socketClient(node.url);
    clients.push(socket);
    const events = collect(socket);
    expect(await socket.emitWithAck('schedule:join', scheduleId)).toEqual({ ok: true, version: 0 });

    // Cut the subscriber off (our own connection only), then change a seat before it is back: that event is lost.
    await redis.client('KILL', 'ID', String(subscriberId));
    await directory.store.markReserved(scheduleId, [seatIds[0]!]);
    await waitFor(() => events.length === 1, undefined, 'the notice');
    expect(events[0]).toEqual({ scheduleId, fromVersion: 1, version: 1, changes: [] });
    expect(node.live.counters().resumedTotal).toBe(1);

    await directory.hold(scheduleId, [seatIds[1]!]);
    await waitFor(() => events.length === 2, undefined, 'the next change');
    expect(events[1]).toEqual({
      scheduleId,
      fromVersion: 1,
      version: 2,
      changes: [{ seatId: seatIds[1], index: 1, status: 'held' }],
    });
  });
});
