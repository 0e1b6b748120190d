import type { Redis } from 'ioredis';
import { ServiceUnavailableError } from '../errors.ts';
import { type PublishedSeatEvent, publishedSeatEventSchema, seatEventChannel } from '../holds/seat-event.ts';
import type { EventBus, SeatEventListener } from './event-bus.ts';
import type { LiveLogger } from './types.ts';

interface Channel {
  scheduleId: string;
  listeners: Set<{ event: SeatEventListener; resume?: () => void }>;
  /** The pending or confirmed SUBSCRIBE; null while it must be (re)sent. */
  subscribed: Promise<void> | null;
  last: number;
}

/**
 * Event bus over Redis pub/sub, one channel per performance (`seatEventChannel`), to which the hold store's scripts
 * publish. A channel is subscribed while this node has a listener for it. `sub` must be dedicated to the bus
 * (`redis.duplicate()`); the bus quits it on close.
 *
 * Redis delivers one channel's messages in publish order, so events arrive in version order. A lost connection
 * loses the subscriptions: events published meanwhile are gone (a real gap). On the next 'ready' every channel is
 * subscribed again, then its listeners' `resume` runs so they can tell their watchers.
 */
export function createRedisEventBus(options: { sub: Redis; prefix: string; logger?: LiveLogger }): EventBus {
  const { sub, prefix, logger } = options;
  const channels = new Map<string, Channel>();
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

  const subscribe = (name: string, channel: Channel) => {
    const pending = sub.subscribe(name).then(
      () => undefined,
      (err: unknown) => {
        if (channel.subscribed === pending) channel.subscribed = null;
        throw new ServiceUnavailableError('event-bus', err);
      },
    );
    channel.subscribed = pending;
    return pending;
  };

  // The connection dropped: Redis forgot every subscription. Resubscribe on 'ready' and tell the listeners.
  const onClose = () => {
    for (const channel of channels.values()) channel.subscribed = null;
  };
  const onReady = () => {
    for (const [name, channel] of channels) {
      if (channel.subscribed) continue;
      subscribe(name, channel).then(
        () => {
          for (const listener of channel.listeners) listener.resume?.();
        },
        (err: unknown) =>
          logger?.warn({ err, channel: name }, 'event bus resubscription failed; retrying on reconnect'),
      );
    }
  };
  sub.on('message', onMessage);
  sub.on('close', onClose);
  sub.on('ready', onReady);
  sub.on('error', (err: Error) => logger?.debug({ err }, 'event bus subscriber connection error'));

  return {
    kind: 'redis',
    async subscribe(scheduleId, event, resume) {
      if (closed) throw new ServiceUnavailableError('event-bus', new Error('closed'));
      const name = seatEventChannel(prefix, scheduleId);
      let channel = channels.get(name);
      if (!channel) {
        channel = { scheduleId, listeners: new Set(), subscribed: null, last: -1 };
        channels.set(name, channel);
      }
      const listener = { event, resume };
      channel.listeners.add(listener);
      const current = channel;
      const unsubscribe = () => {
        current.listeners.delete(listener);
        if (current.listeners.size > 0 || channels.get(name) !== current) return;
        channels.delete(name);
        if (current.subscribed) sub.unsubscribe(name).catch(() => {});
      };
      try {
        await (channel.subscribed ?? subscribe(name, channel));
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
      sub.off('message', onMessage);
      sub.off('close', onClose);
      sub.off('ready', onReady);
      await sub.quit().catch(() => sub.disconnect());
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
