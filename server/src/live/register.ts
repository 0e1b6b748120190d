import type { FastifyInstance } from 'fastify';
import { liveFeedRoutes } from './feed.ts';
import { createLiveGateway, type LiveGateway } from './gateway.ts';
import { createConnectionLimiter, type LiveTotals } from './limits.ts';
import { createLiveStream, type LiveStream } from './live-stream.ts';
import type { LiveCounters, LiveDeps } from './types.ts';

export interface Live {
  gateway: LiveGateway;
  /** This node's coalesced seat events (other features, e.g. the box office, listen to it and retain performances). */
  stream: LiveStream;
  totals: LiveTotals;
  counters(): LiveCounters;
}

/**
 * Adds the live seat map to an app: Socket.IO on `app.server` (/socket.io) and the plain WebSocket feed
 * (`GET /api/schedules/:scheduleId/live`), both fed by one coalesced subscription per watched performance to
 * `deps.bus`, and both under one MAX_CONNECTIONS_PER_IP count. Call before `listen`/`ready`. Live connections are
 * closed in `preClose` so the HTTP server can close; the bus itself stays the caller's to close.
 */
export async function registerLive(app: FastifyInstance, deps: LiveDeps): Promise<Live> {
  const totals: LiveTotals = { refused: 0, slowDropped: 0, rateLimited: 0, resumed: 0 };
  const limiter = createConnectionLimiter(deps.config.MAX_CONNECTIONS_PER_IP);
  const stream = createLiveStream({
    bus: deps.bus,
    directory: deps.directory,
    windowMs: deps.config.BROADCAST_WINDOW_MS,
    logger: app.log,
    onResumed: () => {
      totals.resumed++;
    },
  });
  const gateway = createLiveGateway({
    httpServer: app.server,
    config: deps.config,
    stream,
    directory: deps.directory,
    limiter,
    totals,
    logger: app.log,
    redis: deps.redis,
  });
  let feeds = 0;
  await app.register(liveFeedRoutes, {
    config: deps.config,
    directory: deps.directory,
    stream,
    limiter,
    totals,
    onCount: (n) => {
      feeds = n;
    },
  });
  app.addHook('preClose', async () => {
    stream.close();
    await gateway.close();
  });
  return {
    gateway,
    stream,
    totals,
    counters: () => ({
      ...gateway.counters(),
      feeds,
      subscriptions: stream.subscriptions(),
      refusedTotal: totals.refused,
      slowDroppedTotal: totals.slowDropped,
      rateLimitedTotal: totals.rateLimited,
      resumedTotal: totals.resumed,
    }),
  };
}
