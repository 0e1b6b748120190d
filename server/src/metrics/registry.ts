import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { LiveCounters } from '../live/types.ts';

export interface PoolStats {
  max: number;
  total: number;
  idle: number;
  waiting: number;
}

/** Latency buckets from 0.5 ms to 5 s: hold-store calls sit at the bottom, slow bookings at the top. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * One app's Prometheus metrics on its own Registry (tests build several apps in one process, so nothing goes
 * on prom-client's global registry). Default process metrics include `nodejs_eventloop_lag_*`.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'seatmap_' });
  // Gauges named *_total break Prometheus naming (promtool: "non-counter metrics should not have _total"); the
  // same numbers by type stay (`seatmap_nodejs_active_handles{type}` …: sum them).
  for (const name of ['handles', 'requests', 'resources'])
    registry.removeSingleMetric(`seatmap_nodejs_active_${name}_total`);

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
    help: 'Reservations confirmed by this node (each booking once: idempotent replays are not counted)',
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
    help: 'Database statement latency (successful ones, BEGIN/COMMIT included) by statement family',
    labelNames: ['kind'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const dbErrors = new Counter({
    name: 'seatmap_db_query_errors_total',
    help: 'Failed database statements by statement family and reason (timeout, unavailable, conflict, invalid, other)',
    labelNames: ['kind', 'reason'] as const,
    registers: [registry],
  });
  const poolAcquire = new Histogram({
    name: 'seatmap_db_pool_acquire_duration_seconds',
    help: 'Time to check a connection out of the Postgres pool (waiting included), by outcome',
    labelNames: ['outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  let pool: (() => PoolStats) | undefined;
  const poolGauge = (name: string, help: string, pick: (p: PoolStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(pool ? pick(pool()) : 0);
      },
    });
  poolGauge('seatmap_db_pool_max_connections', 'Postgres pool size (DATABASE_POOL_SIZE; 0 for PGlite)', (p) => p.max);
  poolGauge('seatmap_db_pool_connections', 'Postgres connections open (busy and idle)', (p) => p.total);
  poolGauge('seatmap_db_pool_idle_connections', 'Postgres connections open and idle', (p) => p.idle);
  poolGauge('seatmap_db_pool_waiting_requests', 'Checkouts waiting for a Postgres connection', (p) => p.waiting);

  const expiredSeats = new Counter({
    name: 'seatmap_hold_expired_seats_total',
    help: 'Seats freed by this node because their hold expired (the sweeper)',
    registers: [registry],
  });
  const lastSweep = new Gauge({
    name: 'seatmap_hold_sweep_last_success_timestamp_seconds',
    help: 'When the expiry sweeper of this node last finished without an error (Unix time)',
    // Across the workers of one box (cluster-metrics.ts): the latest, since any worker's sweep frees every hold.
    aggregator: 'max',
    registers: [registry],
  });

  const liveEvents = new Counter({
    name: 'seatmap_live_events_received_total',
    help: 'Seat events this node received from the event bus (before coalescing)',
    registers: [registry],
  });
  const broadcasts = new Counter({
    name: 'seatmap_live_broadcasts_total',
    help: 'Coalesced seats:changed broadcasts this node sent to its watchers (Socket.IO rooms and feeds)',
    registers: [registry],
  });
  const broadcastChanges = new Histogram({
    name: 'seatmap_live_broadcast_changes',
    help: 'Seat changes per coalesced broadcast',
    buckets: [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
    registers: [registry],
  });
  const fanoutLag = new Histogram({
    name: 'seatmap_live_fanout_lag_seconds',
    help: 'From a seat event being published (hold store) to its coalesced broadcast on this node',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5],
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
  liveGauge('seatmap_live_subscriptions', 'Performances this node is subscribed to on the bus', (c) => c.subscriptions);
  // Totals kept by the live layer since start, exposed as counters (read at scrape time).
  const liveCounter = (name: string, help: string, pick: (c: LiveCounters) => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        if (live) this.inc(pick(live()));
      },
    });
  liveCounter(
    'seatmap_live_refused_connections_total',
    'Live connections refused (MAX_CONNECTIONS_PER_IP)',
    (c) => c.refusedTotal,
  );
  liveCounter(
    'seatmap_live_slow_dropped_total',
    'Live connections dropped because they stopped reading',
    (c) => c.slowDroppedTotal,
  );
  liveCounter(
    'seatmap_live_rate_limited_events_total',
    'Client events dropped by the per-socket limit',
    (c) => c.rateLimitedTotal,
  );
  liveCounter(
    'seatmap_live_resumed_subscriptions_total',
    'Bus subscriptions lost with a Redis connection and restored (possible gaps)',
    (c) => c.resumedTotal,
  );

  let scrape = () => registry.metrics();

  return {
    registry,
    /** The exposition `/metrics` answers: this registry, or the whole box's under `--workers N` (setScrape). */
    scrape: () => scrape(),
    setScrape(read: () => Promise<string>) {
      scrape = read;
    },
    httpDuration,
    holds,
    bookings,
    cancellations,
    conflicts,
    holdStoreDuration,
    dbDuration,
    dbErrors,
    poolAcquire,
    expiredSeats,
    lastSweep,
    liveEvents,
    broadcasts,
    broadcastChanges,
    fanoutLag,
    /** Pool gauges are read from the Postgres pool at scrape time (PGlite: none, all 0). */
    setPool(read: () => PoolStats) {
      pool = read;
    },
    /** Live connection counts are read from the gateway at scrape time. */
    setLiveCounters(read: () => LiveCounters) {
      live = read;
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
