import type { FastifyInstance } from 'fastify';
import { queryKindOf, withQueryKind } from './query-kind.ts';
import type { Metrics } from './registry.ts';

const HOLDS_ROUTE = '/api/schedules/:scheduleId/holds';
const RESERVATIONS_ROUTE = '/api/reservations';
const CANCEL_ROUTE = '/api/reservations/:reservationNumber/cancel';

/** Which booking step a route is, for the conflict counter. */
function step(route: string): string {
  if (route === HOLDS_ROUTE) return 'hold';
  if (route.startsWith('/api/holds/')) return 'hold_change';
  if (route === RESERVATIONS_ROUTE) return 'reservation';
  if (route === CANCEL_ROUTE) return 'cancel';
  return 'other';
}

/**
 * `GET /metrics` (Prometheus text format) and the HTTP hooks behind it: a latency histogram per route pattern
 * (never the raw URL, so ids do not explode the label set) and the business counters, derived from each
 * response's route and status so the booking services stay free of metrics code.
 */
export function registerMetrics(app: FastifyInstance, metrics: Metrics) {
  // The request's database statements count under its statement family (seatmap_db_query_*{kind}).
  app.addHook('onRequest', (request, _reply, done) => {
    withQueryKind(queryKindOf(request.method, request.routeOptions.url), done);
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    metrics.httpDuration.observe(
      { route, method: request.method, status_code: String(status) },
      reply.elapsedTime / 1000,
    );
    if (request.method !== 'POST') {
      if (status === 409) metrics.conflicts.inc({ step: step(route) });
      return;
    }
    if (route === HOLDS_ROUTE && status === 201) metrics.holds.inc();
    // Bookings are counted by the reservation service when they commit (a 201 may be an idempotent replay).
    else if (route === RESERVATIONS_ROUTE && status === 201) return;
    else if (route === CANCEL_ROUTE && status === 200) metrics.cancellations.inc();
    else if (status === 409) metrics.conflicts.inc({ step: step(route) });
  });

  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    try {
      const body = await metrics.scrape();
      return reply.type(metrics.registry.contentType).send(body);
    } catch (err) {
      // Under --workers N: a worker did not answer. No partial numbers (counters would seem to go backwards).
      request.log.warn({ err }, 'metrics scrape failed');
      return reply.code(503).type('text/plain').send('metrics unavailable: a worker did not answer\n');
    }
  });
}
