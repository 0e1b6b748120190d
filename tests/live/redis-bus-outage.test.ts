import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { SeatsChanged } from '@seatmap/shared';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../server/src/errors.ts';
import { createRedisEventBus } from '../../server/src/live/redis-event-bus.ts';
import { freePort, hasRedisServer, startRedis, stopRedis } from '../support/processes.ts';
import { waitFor } from './support.ts';

/** A private Redis this file may kill; the shared one is never touched. */
describe.runIf(hasRedisServer)('Redis event bus through a Redis restart', () => {
  let redisProcess: ChildProcess | undefined;
  const clients: Redis[] = [];
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    if (redisProcess) await stopRedis(redisProcess);
  });

  const event = (version: number): SeatsChanged => ({
    scheduleId: '6f1d2b1e-8a53-4c1e-9d7a-3f0a2b4c5d6e',
    fromVersion: version - 1,
    version,
    changes: [{ seatId: randomUUID(), status: 'held' }],
  });

  it('subscribes once Redis is up, fails publishes fast while it is down, and receives again after', async () => {
    const port = await freePort();
    // Fail-fast clients like the app's, created before Redis exists.
    const options = { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => 50 };
    const pub = new Redis(`redis://127.0.0.1:${port}`, options);
    const sub = pub.duplicate();
    clients.push(pub, sub);
    for (const c of clients) c.on('error', () => {});
    const bus = createRedisEventBus({ pub, sub, prefix: 'outage:' });
    const received: SeatsChanged[] = [];
    bus.subscribe((e) => received.push(e));

    redisProcess = await startRedis(port);
    await bus.ready();
    await bus.publish(event(1));
    await waitFor(() => received.length === 1, 2000, 'first event');

    await stopRedis(redisProcess);
    await waitFor(() => pub.status !== 'ready', 2000, 'disconnect noticed');
    await expect(bus.publish(event(2))).rejects.toBeInstanceOf(ServiceUnavailableError);

    redisProcess = await startRedis(port);
    await waitFor(() => pub.status === 'ready' && sub.status === 'ready', 5000, 'reconnect');
    // The subscription is restored on reconnect; retry until a publish is heard.
    await waitFor(
      () => {
        void bus.publish(event(3)).catch(() => {});
        return received.some((e) => e.version === 3);
      },
      5000,
      'events after the restart',
    );
    expect(received.map((e) => e.version)).not.toContain(2);
    await bus.close();
  });
});
