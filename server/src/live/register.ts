import type { FastifyInstance } from 'fastify';
import { liveFeedRoutes } from './feed.ts';
import { createLiveGateway, type LiveGateway } from './gateway.ts';
import { createLiveStream } from './live-stream.ts';
import type { LiveCounters, LiveDeps } from './types.ts';

export interface Live {
  gateway: LiveGateway;
  counters(): LiveCounters;
}

/**
 * Adds the live seat map to an app: Socket.IO on `app.server` (/socket.io) and the plain WebSocket feed
 * (`GET /api/schedules/:scheduleId/live`), both fed by one coalesced subscription to `deps.bus`.
 * Call before `listen`/`ready`. Live connections are closed in `preClose` so the HTTP server can close;
 * the bus itself stays the caller's to close.
 */
export async function registerLive(app: FastifyInstance, deps: LiveDeps): Promise<Live> {
  const stream = createLiveStream({ bus: deps.bus, windowMs: deps.config.BROADCAST_WINDOW_MS, logger: app.log });
  const gateway = createLiveGateway({
    httpServer: app.server,
    config: deps.config,
    stream,
    directory: deps.directory,
    logger: app.log,
    redis: deps.redis,
  });
  let feeds = 0;
  await app.register(liveFeedRoutes, {
    config: deps.config,
    directory: deps.directory,
    stream,
    onCount: (n) => {
      feeds = n;
    },
  });
  app.addHook('preClose', async () => {
    stream.close();
    await gateway.close();
  });
  return { gateway, counters: () => ({ ...gateway.counters(), feeds }) };
}
