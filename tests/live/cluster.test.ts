import { type SeatsChanged, seatsChangedSchema } from '@seatmap/shared';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBus } from '../../server/src/live/event-bus.ts';
import { createRedisEventBus } from '../../server/src/live/redis-event-bus.ts';
import { realServices, testRedisPrefix, testRedisUrl } from '../support/services.ts';
import {
  type ClientSocket,
  collect,
  FakeDirectory,
  feedClient,
  seatChange,
  socketClient,
  startNode,
  type TestNode,
  waitFor,
} from './support.ts';

const enabled = await realServices();

/** Three nodes sharing one Redis and one prefix, as `npm run start:cluster` runs them. */
describe.runIf(enabled)('live seat map across three nodes (Redis)', () => {
  const prefix = testRedisPrefix();
  const directory = new FakeDirectory();
  const nodes: { node: TestNode; bus: EventBus; redis: Redis }[] = [];
  const clients: ClientSocket[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) {
      // Like the app's client: fail fast while disconnected, so nothing may be sent before 'ready'.
      const redis = new Redis(testRedisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
      const bus = createRedisEventBus({ pub: redis, sub: redis.duplicate(), prefix });
      const node = await startNode({ bus, directory, redis, config: { REDIS_KEY_PREFIX: prefix } });
      nodes.push({ node, bus, redis });
    }
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

  it('delivers a change published through node 2 to watchers on nodes 1 and 3 within 500 ms', async () => {
    const { scheduleId, seatIds } = directory.addSchedule();
    const on1 = await watcher(0, scheduleId);
    const on3 = await watcher(2, scheduleId);
    const started = Date.now();
    await nodes[1]!.bus.publish(directory.change(scheduleId, [seatChange(seatIds[0]!)]));
    await waitFor(() => on1.length === 1 && on3.length === 1, 500, 'both watchers');
    expect(Date.now() - started).toBeLessThan(500);
    const expected = { scheduleId, fromVersion: 0, version: 1, changes: [seatChange(seatIds[0]!)] };
    expect(seatsChangedSchema.parse(on1[0])).toEqual(expected);
    expect(on3[0]).toEqual(expected);
    // Each node emits to its own sockets only: no duplicate arrives through the Socket.IO adapter.
    await new Promise((r) => setTimeout(r, 100));
    expect(on1).toHaveLength(1);
    expect(on3).toHaveLength(1);
  });

  it('delivers a change published through node 3 to a plain feed on node 1', async () => {
    const { scheduleId, seatIds } = directory.addSchedule();
    const feed = feedClient(nodes[0]!.node.url, scheduleId);
    await waitFor(() => feed.messages.length === 1, 2000, 'snapshot');
    await nodes[2]!.bus.publish(directory.change(scheduleId, [seatChange(seatIds[3]!, 'reserved')]));
    await waitFor(() => feed.messages.length === 2, 500, 'feed change');
    expect(feed.messages[1]).toEqual({
      type: 'seats:changed',
      scheduleId,
      fromVersion: 0,
      version: 1,
      changes: [seatChange(seatIds[3]!, 'reserved')],
    });
    feed.ws.close();
  });

  it('coalesces a burst of 100 changes into far fewer messages with every change, versions contiguous', async () => {
    const { scheduleId, seatIds } = directory.addSchedule(100);
    const on1 = await watcher(0, scheduleId);
    const on3 = await watcher(2, scheduleId);
    await Promise.all(
      seatIds.map((seatId, i) => nodes[i % 3]!.bus.publish(directory.change(scheduleId, [seatChange(seatId)]))),
    );
    const total = (events: SeatsChanged[]) => events.reduce((n, e) => n + e.changes.length, 0);
    await waitFor(() => total(on1) === 100 && total(on3) === 100, 3000, 'all 100 changes');
    for (const events of [on1, on3]) {
      expect(events.length).toBeLessThanOrEqual(10);
      let version = 0;
      for (const e of events) {
        expect(e.fromVersion).toBe(version);
        expect(e.version - e.fromVersion).toBe(e.changes.length);
        version = e.version;
      }
      expect(version).toBe(100);
      expect(new Set(events.flatMap((e) => e.changes.map((c) => c.seatId)))).toEqual(new Set(seatIds));
    }
  });

  it('drops invalid payloads on the channel and keeps delivering valid ones', async () => {
    const { scheduleId, seatIds } = directory.addSchedule();
    const on1 = await watcher(0, scheduleId);
    const pub = nodes[1]!.redis;
    await pub.publish(`${prefix}seats`, 'not json');
    await pub.publish(`${prefix}seats`, JSON.stringify({ scheduleId, fromVersion: 0, version: 1, changes: 'x' }));
    await nodes[1]!.bus.publish(directory.change(scheduleId, [seatChange(seatIds[0]!)]));
    await waitFor(() => on1.length === 1, 1000, 'valid event');
    await new Promise((r) => setTimeout(r, 60));
    expect(on1).toEqual([{ scheduleId, fromVersion: 0, version: 1, changes: [seatChange(seatIds[0]!)] }]);
  });
});
