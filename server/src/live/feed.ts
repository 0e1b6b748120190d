import type { Server as HttpServer } from 'node:http';
import fastifyWebsocket from '@fastify/websocket';
import { type LiveMessage, type SeatsChanged, uuid } from '@seatmap/shared';
import type { FastifyPluginAsync } from 'fastify';
import type { WebSocket } from 'ws';
import type { Config } from '../config.ts';
import { mergeRuns } from './coalescer.ts';
import { SOCKET_IO_PATH } from './gateway.ts';
import type { LiveStream } from './live-stream.ts';
import { originChecker } from './origin.ts';
import type { LiveDirectory } from './types.ts';
import { createUpgradeRelay } from './upgrade-relay.ts';

/** A client this far behind is not reading; it is dropped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
const HEARTBEAT_MS = 30_000;

export interface LiveFeedOptions {
  config: Config;
  directory: LiveDirectory;
  stream: LiveStream;
  /** Receives the number of open feed connections whenever it changes (for metrics). */
  onCount?: (count: number) => void;
}

/**
 * `GET /api/schedules/:scheduleId/live`: a plain WebSocket feed for tools that do not speak Socket.IO. Sends a
 * snapshot, then the coalesced `seats:changed` stream. Registers @fastify/websocket inside its own
 * encapsulated context, fed through an upgrade relay so Socket.IO's upgrades never reach Fastify's router.
 */
export const liveFeedRoutes: FastifyPluginAsync<LiveFeedOptions> = async (app, options) => {
  const { directory, stream } = options;
  const allowedOrigin = originChecker(options.config);
  const { relay, detach } = createUpgradeRelay(app.server, `${SOCKET_IO_PATH}/`);
  const clients = new Map<WebSocket, { alive: boolean }>();
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
  app.addHook('onClose', async () => {
    clearInterval(heartbeat);
    detach();
  });

  app.get<{ Params: { scheduleId: string } }>(
    '/api/schedules/:scheduleId/live',
    {
      websocket: true,
      onRequest: async (request, reply) => {
        if (!allowedOrigin(request.headers.origin, request.headers.host)) {
          return reply.code(403).send({ error: { code: 'FORBIDDEN', message: 'origin not allowed' } });
        }
      },
    },
    async (socket, request) => {
      const state = { alive: true };
      clients.set(socket, state);
      count();
      socket.on('pong', () => {
        state.alive = true;
      });

      const send = (message: LiveMessage) => {
        if (socket.readyState !== socket.OPEN) return;
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) return socket.terminate();
        socket.send(JSON.stringify(message));
      };

      const parsed = uuid.safeParse(request.params.scheduleId);
      if (!parsed.success) {
        clients.delete(socket);
        count();
        return socket.close(4400, 'scheduleId must be a UUID');
      }

      // Subscribe before reading the snapshot and hold what arrives meanwhile, so no change between the
      // snapshot's version and the subscription is lost.
      let buffered: SeatsChanged[] | null = [];
      let cursor: number | undefined;
      // Drops what the client already has (the snapshot or an earlier message); gaps pass through.
      const forward = (events: SeatsChanged[]) => {
        const merged = mergeRuns(events, cursor);
        cursor = merged.lastVersion;
        for (const event of merged.events) send({ type: 'seats:changed', ...event });
      };
      const stop = stream.onSchedule(parsed.data, (event) => {
        if (buffered) buffered.push(event);
        else forward([event]);
      });
      socket.on('close', () => {
        stop();
        clients.delete(socket);
        count();
      });

      let snapshot: Awaited<ReturnType<LiveDirectory['snapshot']>>;
      try {
        snapshot = await directory.snapshot(parsed.data);
      } catch (err) {
        request.log.error({ err, scheduleId: parsed.data }, 'live feed snapshot failed');
        return socket.close(1011, 'temporarily unavailable');
      }
      if (!snapshot) return socket.close(4404, 'schedule not found');

      send({ type: 'snapshot', version: snapshot.version, seats: snapshot.seats });
      cursor = snapshot.version;
      const pending = buffered;
      buffered = null;
      forward(pending);
    },
  );
};
