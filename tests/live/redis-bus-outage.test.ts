import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../server/src/errors.ts';
import type { SeatEvent } from '../../server/src/holds/seat-event.ts';
import { seatEventChannel } from '../../server/src/holds/seat-event.ts';
import { createRedisEventBus } from '../../server/src/live/redis-event-bus.ts';
import { hasRedisServer, type RedisServer, startRedis, stopRedis } from '../support/processes.ts';
import { waitFor } from './support.ts';

/** A private Redis this file may kill; the shared one is never touched. */
describe.runIf(hasRedisServer)('Redis event bus through a Redis restart', () => {
  let redisProcess: RedisServer | undefined;
  const clients: Redis[] = [];
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    if (redisProcess) await stopRedis(redisProcess);
  });

  const scheduleId = randomUUID();
  const event = (version: number): SeatEvent => ({
    scheduleId,
    fromVersion: version - 1,
    version,
    changes: [{ seatId: randomUUID(), status: 'held' }],
  });

  it('refuses to subscribe while Redis is down, and resubscribes (telling its listeners) after a restart', async () => {
    // A port a private Redis could take (it started there once), stopped again before the clients exist.
    const probe = await startRedis();
    await stopRedis(probe);
    const { port } = probe;
    // Fail-fast clients like the app's, created before Redis exists.
    const options = { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => 50 };
    const sub = new Redis(`redis://127.0.0.1:${port}`, { ...options, autoResubscribe: false });
    const pub = new Redis(`redis://127.0.0.1:${port}`, options);
    clients.push(sub, pub);
    for (const c of clients) c.on('error', () => {});
    const bus = createRedisEventBus({ sub, prefix: 'outage:' });
    const received: SeatEvent[] = [];
    let resumed = 0;
    const listen = () =>
      bus.subscribe(
        scheduleId,
        (e) => received.push(e),
        () => resumed++,
      );
    await expect(listen()).rejects.toBeInstanceOf(ServiceUnavailableError);

    redisProcess = await startRedis(port);
    await waitFor(() => sub.status === 'ready' && pub.status === 'ready', undefined, 'connected');
    await listen();
    const channel = seatEventChannel('outage:', scheduleId);
    await pub.spublish(channel, JSON.stringify(event(1)));
    await waitFor(() => received.length === 1, undefined, 'first event');
    expect(bus.lastVersions()).toEqual(new Map([[scheduleId, 1]]));

    await stopRedis(redisProcess);
    await waitFor(() => sub.status !== 'ready', undefined, 'disconnect noticed');
    redisProcess = await startRedis(port);
    // Subscribed again on its own; the listener hears that something may have been missed.
    await waitFor(() => resumed === 1, undefined, 'resubscribed');
    await waitFor(() => pub.status === 'ready', undefined, 'publisher back');
    await pub.spublish(channel, JSON.stringify(event(3)));
    await waitFor(() => received.length === 2, undefined, 'events after the restart');
    expect(received.map((e) => e.version)).toEqual([1, 3]);
    await bus.close();
  });
});
