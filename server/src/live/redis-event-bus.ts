import { type SeatsChanged, seatsChangedSchema } from '@seatmap/shared';
import type { Redis } from 'ioredis';
import { ServiceUnavailableError } from '../errors.ts';
import type { EventBus } from './event-bus.ts';
import type { LiveLogger } from './types.ts';

/**
 * Event bus over Redis pub/sub on one channel, `${prefix}seats`. Every node (the publisher included) receives
 * each event once through its `sub` connection. `sub` must be dedicated to the bus (`pub.duplicate()`); the
 * bus quits it on close. `pub` stays the caller's.
 */
export function createRedisEventBus(options: {
  pub: Redis;
  sub: Redis;
  prefix: string;
  logger?: LiveLogger;
}): EventBus {
  const { pub, sub, logger } = options;
  const channel = `${options.prefix}seats`;
  const listeners = new Set<(event: SeatsChanged) => void>();
  let closed = false;

  const onMessage = (from: string, message: string) => {
    if (from !== channel) return;
    const event = decode(message);
    if (!event) {
      logger?.warn({ channel, message: message.slice(0, 200) }, 'dropped an invalid seats:changed payload');
      return;
    }
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (err) {
        logger?.error({ err }, 'event bus listener failed');
      }
    }
  };
  sub.on('message', onMessage);

  // The app's clients fail fast instead of queueing while Redis is away (no offline queue), so subscribing is
  // tied to 'ready': first connection, and any reconnect before the subscription ever succeeded. After that,
  // ioredis re-subscribes on reconnect by itself (autoResubscribe).
  let subscribed = false;
  let markReady!: () => void;
  const readyPromise = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const trySubscribe = () => {
    if (subscribed || closed) return;
    sub.subscribe(channel).then(
      () => {
        subscribed = true;
        markReady();
      },
      (err: unknown) => logger?.warn({ err, channel }, 'event bus subscription failed; retrying on reconnect'),
    );
  };
  sub.on('ready', trySubscribe);
  sub.on('error', (err: Error) => logger?.debug({ err, channel }, 'event bus subscriber connection error'));
  if (sub.status === 'ready') trySubscribe();

  return {
    kind: 'redis',
    async publish(event) {
      if (closed) return;
      try {
        await pub.publish(channel, JSON.stringify(event));
      } catch (err) {
        throw new ServiceUnavailableError('event-bus', err);
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    ready: () => readyPromise,
    async close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      sub.off('message', onMessage);
      sub.off('ready', trySubscribe);
      await sub.quit().catch(() => sub.disconnect());
    },
  };
}

function decode(message: string): SeatsChanged | null {
  try {
    const parsed = seatsChangedSchema.safeParse(JSON.parse(message));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
