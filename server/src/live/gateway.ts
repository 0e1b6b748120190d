import type { Server as HttpServer } from 'node:http';
import type { ClientToServerEvents, ServerToClientEvents } from '@seatmap/shared';
import { createShardedAdapter } from '@socket.io/redis-adapter';
import { Cluster, type Redis } from 'ioredis';
import { type ExtendedError, Server, type Socket } from 'socket.io';
import { type Config, corsOrigins } from '../config.ts';
import type { RedisClient } from '../holds/redis-client.ts';
import { type ConnectionLimiter, clientKeyOf, type LiveTotals, MAX_BUFFERED_BYTES } from './limits.ts';
import type { LiveStream } from './live-stream.ts';
import { originChecker } from './origin.ts';
import { createRoomHandlers } from './room-handlers.ts';
import type { LiveDirectory, LiveLogger } from './types.ts';

export const SOCKET_IO_PATH = '/socket.io';
/** A viewer watches one performance at a time; a few more allow tabs and tools, thousands would be abuse. */
const MAX_SCHEDULES_PER_SOCKET = 20;
/** A handshake that joins no namespace (or was refused) is closed after this long. */
const CONNECT_TIMEOUT_MS = 10_000;
const SLOW_READER_SWEEP_MS = 1000;

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents>;
type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export interface LiveGateway {
  /** The Socket.IO server (other namespaces, e.g. /boxoffice, are added on it and share its limits). */
  readonly io: LiveServer;
  counters(): { sockets: number; rooms: number };
  close(): Promise<void>;
}

export const scheduleRoom = (scheduleId: string) => `schedule:${scheduleId}`;

/** The `connect_error` a refused client sees: `err.message`, and `err.data.code` = RATE_LIMITED. */
class RateLimitedError extends Error implements ExtendedError {
  readonly data = { code: 'RATE_LIMITED', message: 'Too many live connections from this address' };
  constructor() {
    super('RATE_LIMITED');
  }
}

/**
 * Socket.IO on the API's HTTP server (path /socket.io). Clients join one room per schedule; every node
 * delivers the coalesced stream to its own sockets only (`io.local`), because every node already receives
 * each event from the bus; each broadcast is encoded once. With `redis`, the sharded Redis adapter (SSUBSCRIBE /
 * SPUBLISH, on two duplicates of it; on a Redis Cluster its subscriber follows every master) serves cross-node
 * operations such as fetchSockets; it is not used for the seat broadcast.
 * Every namespace counts against MAX_CONNECTIONS_PER_IP (one slot per engine connection) and drops slow readers.
 */
export function createLiveGateway(options: {
  httpServer: HttpServer;
  config: Config;
  stream: LiveStream;
  directory: LiveDirectory;
  limiter: ConnectionLimiter;
  totals: LiveTotals;
  logger: LiveLogger;
  redis?: RedisClient;
}): LiveGateway {
  const { config, directory, logger, stream, limiter, totals } = options;
  const allowedOrigin = originChecker(config);
  const origins = corsOrigins(config);
  const clientKey = clientKeyOf(config);

  const io: LiveServer = new Server(options.httpServer, {
    path: SOCKET_IO_PATH,
    serveClient: false,
    connectTimeout: CONNECT_TIMEOUT_MS,
    perMessageDeflate: false,
    // The plain WebSocket feed shares this HTTP server; engine.io must leave its upgrades alone.
    destroyUpgrade: false,
    cors: { origin: origins === '*' ? true : origins },
    allowRequest: (req, callback) => {
      const ok = allowedOrigin(req.headers.origin, req.headers.host);
      // Debug level: a refused polling client retries every few seconds and would flood the log.
      if (!ok) logger.debug({ origin: req.headers.origin }, 'refused a Socket.IO handshake from a foreign origin');
      callback(null, ok);
    },
  });

  // The adapter subscribes at once and publishes rarely; its connections queue while (re)connecting instead of
  // failing fast like the app's request-path client.
  const adapterClients = options.redis ? adapterConnections(options.redis) : [];
  for (const client of adapterClients) {
    client.on('error', (err: Error) => logger.debug({ err }, 'socket.io adapter redis error'));
  }
  if (adapterClients.length === 2) {
    const [pub, sub] = adapterClients;
    // Static: two channels per namespace, not one per room (seat rooms come and go by the thousand; nothing is
    // broadcast through the adapter).
    io.adapter(
      createShardedAdapter(pub, sub, {
        channelPrefix: `${config.REDIS_KEY_PREFIX}socket.io`,
        subscriptionMode: 'static',
      }),
    );
  }

  const stopStream = stream.onAny(({ event }) => {
    io.local.to(scheduleRoom(event.scheduleId)).emit('seats:changed', event);
  });

  // One slot per engine connection, whichever namespaces it joins; released when the connection closes.
  const holding = new Set<Socket['conn']>();
  const takeSlot = (socket: Socket, next: (err?: ExtendedError) => void) => {
    const conn = socket.conn;
    if (holding.has(conn)) return next();
    const release = limiter.acquire(clientKey(socket.request));
    if (!release) {
      totals.refused++;
      next(new RateLimitedError());
      // After the connect_error packet is written (Socket.IO sends it on the next tick).
      setImmediate(() => conn.close());
      return;
    }
    holding.add(conn);
    conn.once('close', () => {
      holding.delete(conn);
      release();
    });
    next();
  };
  io.use(takeSlot);
  io.on('new_namespace', (namespace) => namespace.use(takeSlot));

  io.on(
    'connection',
    createRoomHandlers<LiveSocket>({
      joinEvent: 'schedule:join',
      leaveEvent: 'schedule:leave',
      room: scheduleRoom,
      maxRooms: MAX_SCHEDULES_PER_SOCKET,
      what: 'live seat map',
      exists: (id) => directory.exists(id),
      // SPEC §10: a queued concert's performances need an admission token in the handshake.
      admit: directory.admit && ((socket, id) => directory.admit!(id, socket.handshake.auth)),
      retain: (id) => stream.retain(id),
      joined: async (_socket, id) => ({ version: await directory.version(id) }),
      logger,
      totals,
    }),
  );

  // A socket that does not read piles up packets in engine.io and bytes in ws; past the limit it is cut off.
  const sweep = setInterval(() => {
    for (const conn of holding) {
      if (bufferedBytes(conn) <= MAX_BUFFERED_BYTES) continue;
      totals.slowDropped++;
      (conn.transport as { socket?: { terminate?: () => void } }).socket?.terminate?.();
      conn.close(true);
    }
  }, SLOW_READER_SWEEP_MS);
  sweep.unref();

  let closed = false;
  return {
    io,
    counters() {
      let rooms = 0;
      for (const room of io.of('/').adapter.rooms.keys()) if (room.startsWith('schedule:')) rooms++;
      return { sockets: io.of('/').sockets.size, rooms };
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweep);
      stopStream();
      // Not io.close(): that also closes the HTTP server, which belongs to Fastify.
      io.engine.close();
      await Promise.allSettled(adapterClients.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}

/**
 * The adapter's publisher and subscriber. No command timeout and an offline queue: the adapter subscribes in its
 * constructor without a catch, so a reply slower than the app client's 1 s (a busy machine) was an unhandled
 * rejection — a crash under Node's default. On a cluster the subscriber keeps one connection per master
 * (shardedSubscribers).
 */
function adapterConnections(redis: RedisClient): [Redis | Cluster, Redis | Cluster] {
  const relaxed = { enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined };
  if (redis instanceof Cluster) {
    const options = { enableOfflineQueue: true, redisOptions: { ...redis.options.redisOptions, ...relaxed } };
    return [redis.duplicate(undefined, options), redis.duplicate(undefined, { ...options, shardedSubscribers: true })];
  }
  return [redis.duplicate(relaxed), redis.duplicate(relaxed)];
}

/** Unsent bytes of an engine.io connection: packets not yet handed to the transport, plus ws's own buffer. */
function bufferedBytes(conn: Socket['conn']): number {
  let bytes = (conn.transport as { socket?: { bufferedAmount?: number } }).socket?.bufferedAmount ?? 0;
  for (const packet of (conn as unknown as { writeBuffer: { data?: unknown }[] }).writeBuffer) {
    if (typeof packet.data === 'string') bytes += packet.data.length;
    else if (packet.data instanceof Buffer) bytes += packet.data.length;
  }
  return bytes;
}
