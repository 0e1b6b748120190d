import { getHeapStatistics } from 'node:v8';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { sendError } from './error-handler.ts';

/** How soon a shed client should come back. */
export const SHED_RETRY_AFTER_SECONDS = 3;

/** SHED_HEAP_USED_MB, or 90 % of this process's heap limit when unset (0). */
export function shedHeapBytes(config: Pick<Config, 'SHED_HEAP_USED_MB'>): number {
  return config.SHED_HEAP_USED_MB > 0
    ? config.SHED_HEAP_USED_MB * 2 ** 20
    : Math.floor(getHeapStatistics().heap_size_limit * 0.9);
}

/**
 * Load shedding: while the event loop lags past SHED_EVENT_LOOP_DELAY_MS or the heap passes its bound (sampled
 * every second by @fastify/under-pressure), API requests are answered 503 SERVICE_UNAVAILABLE + Retry-After at
 * once instead of late. Health, metrics, docs and the web app's files are always served: a load balancer and an
 * operator must still see the node. Register first, so a shed request costs nothing else.
 */
export async function registerLoadShedding(app: FastifyInstance, config: Config) {
  // A WebSocket upgrade answered with an HTTP error by a hook that runs before @fastify/websocket's own (shed here,
  // or refused by a rate limit) would keep its socket open, half-closed, and hold up server.close(): close it once
  // the answer is out. An upgrade that succeeds is hijacked and never reaches onResponse.
  // A callback hook: it runs on every response.
  app.addHook('onResponse', (request, _reply, done) => {
    if (request.headers.upgrade !== undefined) request.raw.socket.destroy();
    done();
  });
  let lastWarning = 0;
  await app.register(underPressure, {
    maxEventLoopDelay: config.SHED_EVENT_LOOP_DELAY_MS,
    maxHeapUsedBytes: shedHeapBytes(config),
    pressureHandler: (request, reply, type) => {
      if (!request.url.startsWith('/api/')) return undefined;
      // One line a second at most: an overloaded node must not also flood its log.
      if (Date.now() - lastWarning > 1000) {
        lastWarning = Date.now();
        request.log.warn({ pressure: type, ...app.memoryUsage() }, 'shedding load');
      }
      // Sent here: the remaining hooks and the handler are skipped for a sent reply.
      reply.header('retry-after', String(SHED_RETRY_AFTER_SECONDS));
      sendError(reply, 503, 'SERVICE_UNAVAILABLE', 'The server is overloaded; try again shortly', {
        retryAfterSeconds: SHED_RETRY_AFTER_SECONDS,
      });
    },
  });
}
