import type { EventEmitter } from 'node:events';
import { Redis, type RedisOptions } from 'ioredis';

/** The subset of a pino/fastify logger the Redis client reports to. */
export interface RedisClientLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface RedisClientOptions {
  logger?: RedisClientLogger;
  /** Name shown in logs and `CLIENT LIST`. */
  name?: string;
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Extra ioredis options (override the defaults above). */
  redis?: RedisOptions;
}

/** Reconnect delay: 50 ms doubling up to 2 s, so a restarted Redis is picked up within about 2 s. */
export function reconnectDelay(times: number): number {
  return Math.min(50 * 2 ** Math.max(0, times - 1), 2000);
}

/**
 * An ioredis client that fails fast while Redis is down (no offline queue, one retry, command timeout) and
 * reconnects in the background. Commands sent before the first connection fail too: await `waitForRedis`.
 */
export function createRedisClient(url: string, options: RedisClientOptions = {}): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    retryStrategy: reconnectDelay,
    connectionName: options.name,
    ...options.redis,
  });
  watchConnection(redis, options.logger, options.name ?? 'redis');
  return redis;
}

/**
 * Keeps 'error' events from crashing the process and logs an outage once (not on every reconnect attempt),
 * then its end.
 */
export function watchConnection(emitter: EventEmitter, logger: RedisClientLogger | undefined, name: string): void {
  let down = false;
  emitter.on('error', (err: Error) => {
    if (down) return;
    down = true;
    logger?.warn({ err, redis: name }, 'redis connection lost; retrying in the background');
  });
  emitter.on('ready', () => {
    if (!down) return;
    down = false;
    logger?.info({ redis: name }, 'redis connection restored');
  });
}

/** Resolves once the client is ready; rejects after `timeoutMs`. */
export async function waitForRedis(redis: Redis, timeoutMs = 5000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`redis not ready after ${timeoutMs} ms (status ${redis.status})`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}
