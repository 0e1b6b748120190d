import type { Server as HttpServer } from 'node:http';
import {
  type ClientToServerEvents,
  type ErrorCode,
  type JoinAck,
  type ServerToClientEvents,
  uuid,
} from '@seatmap/shared';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import { Server, type Socket } from 'socket.io';
import { type Config, corsOrigins } from '../config.ts';
import type { LiveStream } from './live-stream.ts';
import { originChecker } from './origin.ts';
import type { LiveDirectory, LiveLogger } from './types.ts';

export const SOCKET_IO_PATH = '/socket.io';
/** A viewer watches one performance at a time; a few more allow tabs and tools, thousands would be abuse. */
const MAX_SCHEDULES_PER_SOCKET = 20;

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents>;
type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export interface LiveGateway {
  /** The Socket.IO server (other namespaces, e.g. /boxoffice, are added on it). */
  readonly io: LiveServer;
  counters(): { sockets: number; rooms: number };
  close(): Promise<void>;
}

export const scheduleRoom = (scheduleId: string) => `schedule:${scheduleId}`;

/**
 * Socket.IO on the API's HTTP server (path /socket.io). Clients join one room per schedule; every node
 * delivers the coalesced stream to its own sockets only (`io.local`), because every node already receives
 * each event from the bus. With `redis`, the Redis adapter (on two duplicates of it) serves cross-node
 * operations such as fetchSockets; it is not used for the seat broadcast.
 */
export function createLiveGateway(options: {
  httpServer: HttpServer;
  config: Config;
  stream: LiveStream;
  directory: LiveDirectory;
  logger: LiveLogger;
  redis?: Redis;
}): LiveGateway {
  const { config, directory, logger } = options;
  const allowedOrigin = originChecker(config);
  const origins = corsOrigins(config);

  const io: LiveServer = new Server(options.httpServer, {
    path: SOCKET_IO_PATH,
    serveClient: false,
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
  const adapterClients = options.redis
    ? [0, 1].map(() => {
        const client = options.redis!.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
        client.on('error', (err: Error) => logger.debug({ err }, 'socket.io adapter redis error'));
        return client;
      })
    : [];
  if (adapterClients.length === 2) {
    const [pub, sub] = adapterClients as [Redis, Redis];
    io.adapter(createAdapter(pub, sub, { key: `${config.REDIS_KEY_PREFIX}socket.io` }));
  }

  const stopStream = options.stream.onAny((event) => {
    io.local.to(scheduleRoom(event.scheduleId)).emit('seats:changed', event);
  });

  io.on('connection', (socket) => {
    socket.on('schedule:join', (scheduleId, ack) => {
      void join(socket, scheduleId as unknown, ack as unknown);
    });
    socket.on('schedule:leave', (scheduleId) => {
      const parsed = uuid.safeParse(scheduleId);
      if (parsed.success) void socket.leave(scheduleRoom(parsed.data));
    });
  });

  async function join(socket: LiveSocket, scheduleId: unknown, ack: unknown) {
    // A client that sends no callback still joins; it simply gets no answer.
    const reply = typeof ack === 'function' ? (ack as (res: JoinAck) => void) : () => {};
    const parsed = uuid.safeParse(scheduleId);
    if (!parsed.success) return reply(failure('VALIDATION_FAILED', 'scheduleId must be a UUID'));
    const room = scheduleRoom(parsed.data);
    const joined = [...socket.rooms].filter((r) => r.startsWith('schedule:') && r !== room).length;
    if (joined >= MAX_SCHEDULES_PER_SOCKET) {
      return reply(failure('VALIDATION_FAILED', `at most ${MAX_SCHEDULES_PER_SOCKET} schedules per connection`));
    }
    try {
      if (!(await directory.scheduleExists(parsed.data))) {
        return reply(failure('SCHEDULE_NOT_FOUND', 'schedule not found'));
      }
      const refused = await directory.admit?.(parsed.data, socket.handshake.auth);
      if (refused) return reply(failure(refused, 'this performance needs an admission from its waiting room'));
      // Join before reading the version: every change after that version is then delivered to this socket
      // (possibly before the ack), so the client never misses one between the two steps.
      await socket.join(room);
      const version = await directory.version(parsed.data);
      reply({ ok: true, version });
    } catch (err) {
      logger.error({ err, scheduleId: parsed.data }, 'schedule:join failed');
      await socket.leave(room);
      reply(failure('SERVICE_UNAVAILABLE', 'live seat map temporarily unavailable'));
    }
  }

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
      stopStream();
      // Not io.close(): that also closes the HTTP server, which belongs to Fastify.
      io.engine.close();
      await Promise.allSettled(adapterClients.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}

function failure(code: ErrorCode, message: string): JoinAck {
  return { ok: false, error: { code, message } };
}
