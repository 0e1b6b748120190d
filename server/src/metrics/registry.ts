import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { LiveCounters } from '../live/types.ts';

/** Latency buckets from 0.5 ms to 5 s: hold-store calls sit at the bottom, slow bookings at the top. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * One app's Prometheus metrics on its own Registry (tests build several apps in one process, so nothing goes
 * on prom-client's global registry). Default process metrics include `nodejs_eventloop_lag_*`.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'seatmap_' });

  const httpDuration = new Histogram({
    name: 'seatmap_http_request_duration_seconds',
    help: 'HTTP request latency by route pattern, method and status code',
    labelNames: ['route', 'method', 'status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const holds = new Counter({
    name: 'seatmap_holds_total',
    help: 'Holds created (201 on POST /api/schedules/:scheduleId/holds)',
    registers: [registry],
  });
  const bookings = new Counter({
    name: 'seatmap_bookings_total',
    help: 'Reservations confirmed (201 on POST /api/reservations, idempotent replays included)',
    registers: [registry],
  });
  const cancellations = new Counter({
    name: 'seatmap_cancellations_total',
    help: 'Reservations cancelled (200 on POST /api/reservations/:reservationNumber/cancel)',
    registers: [registry],
  });
  const conflicts = new Counter({
    name: 'seatmap_conflicts_total',
    help: 'Requests answered 409 (seat unavailable, orphan seat, closed, already cancelled …) by step',
    labelNames: ['step'] as const,
    registers: [registry],
  });
  const holdStoreDuration = new Histogram({
    name: 'seatmap_hold_store_duration_seconds',
    help: 'Hold store call latency by method and outcome',
    labelNames: ['method', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const dbDuration = new Histogram({
    name: 'seatmap_db_query_duration_seconds',
    help: 'Database query latency by statement kind (successful queries; BEGIN/COMMIT not included)',
    labelNames: ['kind'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });

  let live: (() => LiveCounters) | undefined;
  const liveGauge = (name: string, help: string, pick: (c: LiveCounters) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(live ? pick(live()) : 0);
      },
    });
  liveGauge('seatmap_socketio_connections', 'Socket.IO connections on this node', (c) => c.sockets);
  liveGauge('seatmap_socketio_rooms', 'Schedule rooms with at least one socket on this node', (c) => c.rooms);
  liveGauge('seatmap_ws_feed_connections', 'Plain WebSocket feed connections on this node', (c) => c.feeds);

  return {
    registry,
    httpDuration,
    holds,
    bookings,
    cancellations,
    conflicts,
    holdStoreDuration,
    dbDuration,
    /** Live connection counts are read from the gateway at scrape time. */
    setLiveCounters(read: () => LiveCounters) {
      live = read;
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
