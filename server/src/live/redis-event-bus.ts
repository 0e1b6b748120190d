import { Cluster, Redis } from 'ioredis';
import { ServiceUnavailableError } from '../errors.ts';
import { keySlot } from '../holds/key-slot.ts';
import { waitForRedis } from '../holds/redis-client.ts';
import { type PublishedSeatEvent, publishedSeatEventSchema, seatEventChannel } from '../holds/seat-event.ts';
import type { EventBus, SeatEventListener } from './event-bus.ts';
import type { LiveLogger } from './types.ts';

/** One subscriber connection: the single Redis, or one master of a Redis Cluster. */
interface Shard {
  key: string;
  conn: Redis;
}

interface Channel {
  name: string;
  scheduleId: string;
  listeners: Set<{ event: SeatEventListener; resume?: () => void }>;
  shard: Shard;
  /** The pending or confirmed SSUBSCRIBE; null while it must be (re)sent. */
  subscribed: Promise<void> | null;
  last: number;
}

export interface RedisEventBusOptions {
  /**
   * Single Redis: a connection dedicated to the bus (`redis.duplicate()`), which the bus quits on close. A Redis
   * Cluster: the app's cluster client, from which the bus learns the slots and opens one connection per master.
   */
  sub: Redis | Cluster;
  prefix: string;
  logger?: LiveLogger;
}

/**
 * Event bus over Redis sharded pub/sub, one shard channel per performance (`seatEventChannel`), on which the hold
 * store's scripts SPUBLISH. A channel is subscribed (SSUBSCRIBE) while this node has a listener for it, on the
 * connection of the shard that owns its slot — on a Redis Cluster a node hears only the performances it watches,
 * from their own shard; a single Redis is one shard (decision 0014).
 *
 * Redis delivers one channel's messages in publish order, so events arrive in version order. A lost connection
 * loses its subscriptions: events published meanwhile are gone (a real gap). On the connection's next 'ready' its
 * channels are subscribed again, then their listeners' `resume` runs so they can tell their watchers. When a slot
 * moves to another master (a failover), its channels move to that master's connection, with a resume too.
 */
export function createRedisEventBus(options: RedisEventBusOptions): EventBus {
  const { sub, prefix, logger } = options;
  const cluster = sub instanceof Cluster ? sub : null;
  const channels = new Map<string, Channel>();
  const shards = new Map<string, Shard>();
  let closed = false;

  const onMessage = (name: string, message: string) => {
    const channel = channels.get(name);
    if (!channel) return;
    const event = decode(message);
    if (!event || event.scheduleId !== channel.scheduleId) {
      logger?.warn({ channel: name, message: message.slice(0, 200) }, 'dropped an invalid seat event');
      return;
    }
    if (event.version > channel.last) channel.last = event.version;
    for (const listener of channel.listeners) {
      try {
        listener.event(event);
      } catch (err) {
        logger?.error({ err, scheduleId: channel.scheduleId }, 'event bus listener failed');
      }
    }
  };

  const subscribe = (channel: Channel) => {
    const { shard } = channel;
    const pending = (async () => {
      if (shard.conn.status !== 'ready') await waitForRedis(shard.conn, 2000);
      await shard.conn.ssubscribe(channel.name);
    })().then(
      () => undefined,
      (err: unknown) => {
        if (channel.subscribed === pending) channel.subscribed = null;
        throw new ServiceUnavailableError('event-bus', err);
      },
    );
    channel.subscribed = pending;
    return pending;
  };

  // Subscribes a channel that lost (or moved) its subscription, then tells its listeners.
  const restore = (channel: Channel) => {
    subscribe(channel).then(
      () => {
        for (const listener of channel.listeners) listener.resume?.();
      },
      (err: unknown) =>
        logger?.warn({ err, channel: channel.name }, 'event bus resubscription failed; retrying on reconnect'),
    );
  };

  const watch = (shard: Shard) => {
    const { conn } = shard;
    conn.on('smessage', onMessage);
    // The connection dropped: Redis forgot its subscriptions. Resubscribe on 'ready' and tell the listeners.
    conn.on('close', () => {
      for (const channel of channels.values()) if (channel.shard === shard) channel.subscribed = null;
      // A master that is gone for good is replaced by a replica: the slots say where its channels went.
      cluster?.refreshSlotsCache();
    });
    conn.on('ready', () => {
      for (const channel of channels.values()) if (channel.shard === shard && !channel.subscribed) restore(channel);
    });
    conn.on('error', (err: Error) => logger?.debug({ err, shard: shard.key }, 'event bus subscriber connection error'));
  };

  const single: Shard | null = cluster ? null : { key: 'redis', conn: sub as Redis };
  if (single) watch(single);

  /** The shard that owns a channel's slot now (a cluster master's connection, opened on first use). */
  const shardOf = (name: string): Shard => {
    if (single) return single;
    const nodeKey = cluster!.slots[keySlot(name)]?.[0];
    if (!nodeKey) throw new ServiceUnavailableError('event-bus', new Error(`no master for the slot of ${name}`));
    let shard = shards.get(nodeKey);
    if (!shard) {
      const at = nodeKey.lastIndexOf(':');
      const conn = new Redis({
        ...cluster!.options.redisOptions,
        host: nodeKey.slice(0, at),
        port: Number(nodeKey.slice(at + 1)),
        autoResubscribe: false,
        enableAutoPipelining: false,
        connectionName: 'seatmap-events',
      });
      shard = { key: nodeKey, conn };
      shards.set(nodeKey, shard);
      watch(shard);
    }
    return shard;
  };

  // After a slots refresh: channels whose slot now has another master move there (and their watchers resync).
  const onRefresh = () => {
    for (const channel of channels.values()) {
      let target: Shard;
      try {
        target = shardOf(channel.name);
      } catch {
        continue;
      }
      if (target === channel.shard) continue;
      const old = channel.shard;
      if (channel.subscribed && old.conn.status === 'ready') old.conn.sunsubscribe(channel.name).catch(() => {});
      channel.shard = target;
      channel.subscribed = null;
      restore(channel);
    }
  };
  cluster?.on('refresh', onRefresh);

  return {
    kind: 'redis',
    async subscribe(scheduleId, event, resume) {
      if (closed) throw new ServiceUnavailableError('event-bus', new Error('closed'));
      const name = seatEventChannel(prefix, scheduleId);
      let channel = channels.get(name);
      if (!channel) {
        channel = { name, scheduleId, listeners: new Set(), shard: shardOf(name), subscribed: null, last: -1 };
        channels.set(name, channel);
      }
      const listener = { event, resume };
      channel.listeners.add(listener);
      const current = channel;
      const unsubscribe = () => {
        current.listeners.delete(listener);
        if (current.listeners.size > 0 || channels.get(name) !== current) return;
        channels.delete(name);
        if (current.subscribed) current.shard.conn.sunsubscribe(name).catch(() => {});
      };
      try {
        await (channel.subscribed ?? subscribe(channel));
      } catch (err) {
        unsubscribe();
        throw err;
      }
      return unsubscribe;
    },
    lastVersions() {
      const versions = new Map<string, number>();
      for (const channel of channels.values()) if (channel.last >= 0) versions.set(channel.scheduleId, channel.last);
      return versions;
    },
    async close() {
      if (closed) return;
      closed = true;
      channels.clear();
      cluster?.off('refresh', onRefresh);
      const conns = single ? [single.conn] : [...shards.values()].map((s) => s.conn);
      await Promise.all(
        conns.map(async (conn) => {
          conn.removeAllListeners('smessage');
          conn.removeAllListeners('ready');
          conn.removeAllListeners('close');
          await conn.quit().catch(() => conn.disconnect());
        }),
      );
    },
  };
}

function decode(message: string): PublishedSeatEvent | null {
  try {
    const parsed = publishedSeatEventSchema.safeParse(JSON.parse(message));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
