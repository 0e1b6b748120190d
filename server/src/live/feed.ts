import type { Server as HttpServer } from 'node:http';
import fastifyWebsocket from '@fastify/websocket';
import { feedQuerySchema, type SeatsChanged, uuid } from '@seatmap/shared';
import type { FastifyPluginAsync } from 'fastify';
import type { WebSocket } from 'ws';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import { mergeRuns } from './coalescer.ts';
import { SOCKET_IO_PATH } from './gateway.ts';
import {
  CLIENT_EVENTS_BURST,
  CLIENT_EVENTS_PER_SECOND,
  type ConnectionLimiter,
  clientKeyOf,
  createEventBudget,
  type LiveTotals,
  MAX_BUFFERED_BYTES,
} from './limits.ts';
import type { Broadcast, LiveStream } from './live-stream.ts';
import { originChecker } from './origin.ts';
import type { LiveDirectory } from './types.ts';
import { createUpgradeRelay } from './upgrade-relay.ts';

const HEARTBEAT_MS = 30_000;
const SWEEP_MS = 1000;

export interface LiveFeedOptions {
  config: Config;
  directory: LiveDirectory;
  stream: LiveStream;
  limiter: ConnectionLimiter;
  totals: LiveTotals;
  /** Receives the number of open feed connections whenever it changes (for metrics). */
  onCount?: (count: number) => void;
}

interface Client {
  alive: boolean;
}

/**
 * `GET /api/schedules/:scheduleId/live`: a plain WebSocket feed for tools that do not speak Socket.IO. Sends a
 * snapshot (compact by default, `?snapshot=full` for part one's form), then the coalesced `seats:changed` stream.
 * Snapshots and events are serialised once per node and the same bytes go to every socket. Registers
 * @fastify/websocket inside its own encapsulated context, fed through an upgrade relay so Socket.IO's upgrades
 * never reach Fastify's router.
 */
export const liveFeedRoutes: FastifyPluginAsync<LiveFeedOptions> = async (app, options) => {
  const { directory, stream, limiter, totals } = options;
  const allowedOrigin = originChecker(options.config);
  const clientKey = clientKeyOf(options.config);
  const { relay, detach } = createUpgradeRelay(app.server, `${SOCKET_IO_PATH}/`);
  const clients = new Map<WebSocket, Client>();
  const count = () => options.onCount?.(clients.size);

  await app.register(fastifyWebsocket, {
    options: { server: relay as unknown as HttpServer, perMessageDeflate: false, maxPayload: 4096 },
  });

  const heartbeat = setInterval(() => {
    for (const [socket, state] of clients) {
      if (!state.alive) socket.terminate();
      state.alive = false;
      socket.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  // A reader that stopped reading is dropped before its buffer grows past a few MB, even between messages.
  const sweep = setInterval(() => {
    for (const socket of clients.keys()) dropIfSlow(socket);
  }, SWEEP_MS);
  sweep.unref();
  app.addHook('onClose', async () => {
    clearInterval(heartbeat);
    clearInterval(sweep);
    detach();
  });

  function dropIfSlow(socket: WebSocket): boolean {
    if (socket.bufferedAmount <= MAX_BUFFERED_BYTES) return false;
    totals.slowDropped++;
    socket.terminate();
    return true;
  }
  const send = (socket: WebSocket, bytes: Buffer) => {
    if (socket.readyState !== socket.OPEN || dropIfSlow(socket)) return;
    socket.send(bytes, { binary: false });
  };
  // Each broadcast's WebSocket frame, built once per node and written as it is to every socket.
  const frames = new WeakMap<Broadcast, Buffer>();
  const sendBroadcast = (socket: WebSocket, broadcast: Broadcast) => {
    if (socket.readyState !== socket.OPEN || dropIfSlow(socket)) return;
    const sender = (socket as unknown as { _sender?: RawSender })._sender;
    if (sender?._state !== 0 || typeof sender.sendFrame !== 'function') {
      return socket.send(broadcast.feedMessage(), { binary: false });
    }
    let frame = frames.get(broadcast);
    if (!frame) {
      frame = textFrame(broadcast.feedMessage());
      frames.set(broadcast, frame);
    }
    sender.sendFrame([frame]);
  };

  app.get<{ Params: { scheduleId: string }; Querystring: Record<string, string> }>(
    '/api/schedules/:scheduleId/live',
    {
      websocket: true,
      onRequest: async (request) => {
        if (!allowedOrigin(request.headers.origin, request.headers.host)) {
          throw new AppError(403, 'FORBIDDEN', 'origin not allowed');
        }
        // One slot per TCP connection, held until it closes (also when the upgrade never completes).
        const release = limiter.acquire(clientKey(request.raw));
        if (!release) {
          totals.refused++;
          throw new AppError(429, 'RATE_LIMITED', 'Too many live connections from this address', {
            retryAfterSeconds: 5,
          });
        }
        request.raw.socket.once('close', release);
      },
    },
    async (socket, request) => {
      const state: Client = { alive: true };
      clients.set(socket, state);
      count();
      socket.on('pong', () => {
        state.alive = true;
      });
      // Clients have nothing to say on this feed; one that keeps talking is cut off.
      const budget = createEventBudget(CLIENT_EVENTS_PER_SECOND, CLIENT_EVENTS_BURST);
      socket.on('message', () => {
        if (budget.take()) return;
        totals.rateLimited++;
        socket.close(1008, 'too many messages');
      });

      const id = uuid.safeParse(request.params.scheduleId);
      const query = feedQuerySchema.safeParse(request.query);
      let stop = () => {};
      socket.on('close', () => {
        stop();
        clients.delete(socket);
        count();
      });
      if (!id.success) return socket.close(4400, 'scheduleId must be a UUID');
      if (!query.success) return socket.close(4400, 'snapshot must be compact or full');
      const scheduleId = id.data;

      // Listen first and hold what arrives, subscribe, then read the snapshot: no change between the snapshot's
      // version and the subscription is lost, and none the snapshot already contains is sent again.
      let buffered: Broadcast[] | null = [];
      let cursor = 0;
      const forward = (broadcast: Broadcast) => {
        const { event } = broadcast;
        if (event.version <= cursor) return;
        // The common case: the shared bytes. A partial overlap (only right after the snapshot) is trimmed.
        if (event.fromVersion >= cursor) sendBroadcast(socket, broadcast);
        else {
          const [trimmed] = mergeRuns<SeatsChanged>([event], cursor).events;
          send(socket, Buffer.from(JSON.stringify({ type: 'seats:changed', ...trimmed })));
        }
        cursor = event.version;
      };
      const unlisten = stream.onSchedule(scheduleId, (broadcast) => {
        if (buffered) buffered.push(broadcast);
        else forward(broadcast);
      });
      let release = () => {};
      stop = () => {
        unlisten();
        release();
      };

      try {
        if (!(await directory.exists(scheduleId))) return socket.close(4404, 'schedule not found');
        release = await stream.retain(scheduleId);
        if (socket.readyState !== socket.OPEN) return stop();
        const snapshot = await directory.snapshot(scheduleId, query.data.snapshot);
        if (!snapshot) return socket.close(4404, 'schedule not found');
        send(socket, snapshot.bytes);
        cursor = snapshot.version;
      } catch (err) {
        request.log.error({ err, scheduleId }, 'live feed snapshot failed');
        return socket.close(1011, 'temporarily unavailable');
      }
      const pending = buffered;
      buffered = null;
      for (const broadcast of pending) forward(broadcast);
    },
  );
};

/**
 * The part of `ws`'s per-socket sender that takes finished frames (what Engine.IO uses for Socket.IO's pre-encoded
 * broadcasts). Used only while `_state` is 0 (idle: nothing queued behind a compression or a Blob read, neither of
 * which this feed uses); otherwise, or with another `ws`, the feed falls back to `send`.
 */
interface RawSender {
  _state?: number;
  sendFrame?: (list: Buffer[], cb?: (err?: Error) => void) => void;
}

/** An unmasked, final text frame (RFC 6455 §5.2) holding `payload`: what a server sends for `send(text)`. */
export function textFrame(payload: Buffer): Buffer {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81; // FIN + opcode 1 (text)
  if (length < 126) frame[1] = length;
  else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  payload.copy(frame, headerLength);
  return frame;
}
