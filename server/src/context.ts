import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { createHoldService, type HoldService } from './booking/hold-service.ts';
import { LOCKOUT_LIMIT, withLockout } from './booking/lockout.ts';
import { createPresales, type Presales } from './booking/presale.ts';
import { createReservationService, type ReservationService } from './booking/reservation-service.ts';
import { findReservedSeatIds, listReservedSeatsOf, listReservedSeatsOfFutureSchedules } from './catalog/repository.ts';
import { createSeatLayouts, type SeatLayouts } from './catalog/seat-layouts.ts';
import { createSnapshotCache } from './catalog/seat-map-cache.ts';
import { type CatalogService, createCatalogService } from './catalog/service.ts';
import type { StatusSnapshot } from './catalog/status-snapshot.ts';
import { type Config, redisMode } from './config.ts';
import { createDatabase, type DatabaseHandle } from './db/connect.ts';
import type { Db } from './db/database.ts';
import type { HoldStore, ReservedSeatSource } from './holds/hold-store.ts';
import { createMemoryHoldStore } from './holds/memory-hold-store.ts';
import { highest } from './holds/recovery.ts';
import { createRedisClient, createRedisClusterClient, type RedisClient, waitForRedis } from './holds/redis-client.ts';
import { createRedisHoldStore } from './holds/redis-hold-store.ts';
import { memoryRateWindows, type RateWindows, redisRateWindows } from './limits/rate-window.ts';
import type { EventBus } from './live/event-bus.ts';
import { createMemoryEventBus } from './live/memory-event-bus.ts';
import { createRedisEventBus } from './live/redis-event-bus.ts';
import { dbQueryLog, instrumentPool } from './metrics/db-timing.ts';
import { timedHoldStore } from './metrics/hold-store-timing.ts';
import { createMetrics, type Metrics } from './metrics/registry.ts';

/** Everything a request needs, created in one place and closed in one place. */
export interface AppContext {
  config: Config;
  mode: {
    database: 'postgres' | 'pglite';
    holds: 'redis' | 'memory';
    /** One Redis, a Redis Cluster (REDIS_CLUSTER_NODES), or none (embedded). */
    redis: 'single' | 'cluster' | 'none';
    location: string;
  };
  db: Db;
  /** One Redis or a Redis Cluster client; every Redis use of the app goes through it. */
  redis: RedisClient | undefined;
  holdStore: HoldStore;
  bus: EventBus;
  layouts: SeatLayouts;
  catalog: CatalogService;
  /** SPEC §12 presale windows and their codes. */
  presales: Presales;
  holds: HoldService;
  reservations: ReservationService;
  metrics: Metrics;
  /** Per-client and per-identity counters (abuse limits): in Redis, shared by every node, or in this process. */
  windows: RateWindows;
  now: () => Date;
  /** Set on SIGTERM: readiness answers 503 while the node drains. */
  draining: boolean;
  close(): Promise<void>;
}

/** Test seams: anything given here is used instead of being built from the config (and is not closed). */
export interface ContextOverrides {
  now?: () => Date;
}

export async function createContext(config: Config, log: FastifyBaseLogger, overrides: ContextOverrides = {}) {
  const now = overrides.now ?? (() => new Date());
  const closers: (() => Promise<void>)[] = [];

  // Everything sees a timed database and hold store (/metrics: hold-store and database latency).
  const metrics = createMetrics();
  const database: DatabaseHandle = await createDatabase(config, log, {
    maxConnections: config.DATABASE_POOL_SIZE,
    log: dbQueryLog(metrics),
  });
  closers.push(() => database.close());
  if (database.pool) instrumentPool(database.pool, config.DATABASE_POOL_SIZE, metrics);
  const db = database.db;

  // Built bottom-up: the stores get what they need from the database as functions, nothing reaches back up.
  const reservedSeats: ReservedSeatSource = {
    all: () => listReservedSeatsOfFutureSchedules(db, now()),
    of: (scheduleId) => listReservedSeatsOf(db, scheduleId),
    among: (seatIds) => findReservedSeatIds(db, seatIds),
  };
  const snapshots = createSnapshotCache<StatusSnapshot>();
  let redis: RedisClient | undefined;
  let holdStore: HoldStore;
  let bus: EventBus;
  const mode = redisMode(config);
  if (mode !== 'none') {
    // Auto-pipelining: the commands concurrent requests issue in one event-loop turn go out in one write (under 50
    // concurrent holds most of a hold's Redis cost was its own socket write).
    const clientOptions = { logger: log, name: 'seatmap', redis: { enableAutoPipelining: true } };
    redis =
      mode === 'cluster'
        ? createRedisClusterClient(config.REDIS_CLUSTER_NODES!, {
            ...clientOptions,
            // Slots are re-read now and then, so the event bus follows a failover even while nothing is sent.
            cluster: { enableAutoPipelining: true, slotsRefreshInterval: 5000 },
          })
        : createRedisClient(config.REDIS_URL!, clientOptions);
    // Single Redis: subscriptions need a connection of their own. Cluster: the bus opens one per master it needs,
    // from the cluster's slots. Either way the bus resubscribes itself after a reconnect.
    const sub =
      mode === 'cluster' ? redis : (redis as Redis).duplicate({ autoResubscribe: false, enableAutoPipelining: false });
    try {
      await Promise.all([waitForRedis(redis, 10_000), waitForRedis(sub, 10_000)]);
    } catch (err) {
      redis.disconnect();
      sub.disconnect();
      await database.close();
      throw err;
    }
    const redisBus = createRedisEventBus({ sub, prefix: config.REDIS_KEY_PREFIX, logger: log });
    bus = redisBus;
    holdStore = createRedisHoldStore({
      redis,
      prefix: config.REDIS_KEY_PREFIX,
      ownsClient: false,
      reservedSeats,
      // After a data loss, versions restart above anything this node's watchers or caches have.
      versionFloors: () => highest(redisBus.lastVersions(), snapshots.versions()),
      log,
    });
    closers.push(async () => {
      await bus.close();
      await holdStore.close();
      await redis?.quit().catch(() => redis?.disconnect());
    });
  } else {
    const memoryBus = createMemoryEventBus({ logger: log });
    bus = memoryBus;
    holdStore = createMemoryHoldStore({ publish: (event) => memoryBus.publish(event), reservedSeats });
    closers.push(async () => {
      await bus.close();
      await holdStore.close();
    });
  }

  holdStore = timedHoldStore(holdStore, metrics);
  const layouts = createSeatLayouts(db);
  const presales = createPresales({ db, now });
  const catalog = createCatalogService({ db, holdStore, layouts, snapshots, presales, now });
  const windows = redis ? redisRateWindows(redis, config.REDIS_KEY_PREFIX, now) : memoryRateWindows(now);
  const context: AppContext = {
    config,
    mode: { database: database.kind, holds: holdStore.kind, redis: mode, location: database.location },
    db,
    redis,
    holdStore,
    bus,
    layouts,
    catalog,
    presales,
    holds: createHoldService({ config, holdStore, catalog, now }),
    reservations: withLockout(
      createReservationService({
        config,
        db,
        holdStore,
        catalog,
        presales,
        now,
        log,
        onBooked: () => metrics.bookings.inc(),
      }),
      windows('lockout', LOCKOUT_LIMIT),
    ),
    metrics,
    windows,
    now,
    draining: false,
    async close() {
      for (const close of closers.reverse()) {
        await close().catch((err: unknown) => log.warn({ err }, 'error while closing'));
      }
    },
  };
  return context;
}
