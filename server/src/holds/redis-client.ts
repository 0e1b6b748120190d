import type { EventEmitter } from 'node:events';
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';

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

/** One Redis or a Redis Cluster: the stores take either and run the same scripts on both. */
export type RedisClient = Redis | Cluster;

/** Reconnect delay: 50 ms doubling up to 2 s, so a restarted Redis is picked up within about 2 s. */
export function reconnectDelay(times: number): number {
  return Math.min(50 * 2 ** Math.max(0, times - 1), 2000);
}

/**
 * An ioredis client that fails fast while Redis is down (no offline queue, one retry, command timeout) and
 * reconnects in the background. Commands sent before the first connection fail too: await `waitForRedis`.
 */
export function createRedisClient(url: string, options: RedisClientOptions = {}): Redis {
  const redis = new Redis(url, failFast(options));
  watchConnection(redis, options.logger, options.name ?? 'redis');
  return redis;
}

/** The fail-fast connection options, for one Redis and for each node of a cluster. */
function failFast(options: RedisClientOptions): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    retryStrategy: reconnectDelay,
    connectionName: options.name,
    ...options.redis,
  };
}

/** `host:port,host:port` (REDIS_CLUSTER_NODES) → ioredis startup nodes. */
export function parseClusterNodes(list: string): { host: string; port: number }[] {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const at = entry.lastIndexOf(':');
      return { host: entry.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(entry.slice(at + 1)) };
    });
}

/**
 * An ioredis Cluster client with the same fail-fast behaviour per node as `createRedisClient`: no offline queue,
 * one retry, a command timeout. A shard that is down fails its own commands (its performances answer 503) while the
 * others serve; commands to a slot whose master moved follow MOVED after a slots refresh.
 */
export function createRedisClusterClient(
  nodes: string,
  options: RedisClientOptions & { cluster?: ClusterOptions } = {},
) {
  const cluster = new Cluster(parseClusterNodes(nodes), {
    enableOfflineQueue: false,
    clusterRetryStrategy: reconnectDelay,
    // A lost shard: its commands are retried for a few hundred ms (a failover may be under way), then refused.
    retryDelayOnFailover: 100,
    maxRedirections: 6,
    slotsRefreshTimeout: 2000,
    redisOptions: failFast(options),
    ...options.cluster,
  });
  watchConnection(cluster, options.logger, options.name ?? 'redis-cluster');
  return cluster;
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

/**
 * Whether Redis serves: one Redis answers PING; a cluster when any master does — a lost shard fails only its own
 * performances' calls (SPEC §14), so it must not make the whole node unready.
 */
export async function pingRedis(redis: RedisClient): Promise<void> {
  if (!(redis instanceof Cluster)) {
    await redis.ping();
    return;
  }
  const masters = redis.nodes('master');
  if (masters.length === 0) throw new Error('no Redis Cluster master known');
  await Promise.any(masters.map((node) => node.ping())).catch((err: AggregateError) => {
    throw err.errors[0];
  });
}

/** Resolves once the client is ready; rejects after `timeoutMs`. */
export async function waitForRedis(redis: RedisClient, timeoutMs = 5000): Promise<void> {
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
