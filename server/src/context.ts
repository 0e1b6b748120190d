import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { createHoldService, type HoldService } from './booking/hold-service.ts';
import { LOCKOUT_LIMIT, withLockout } from './booking/lockout.ts';
import { createReservationService, type ReservationService } from './booking/reservation-service.ts';
import { createReservedMarkers, type ReservedMarkers } from './booking/reserved-markers.ts';
import { createSeatLayouts, type SeatLayouts } from './catalog/seat-layouts.ts';
import { type CatalogService, createCatalogService } from './catalog/service.ts';
import type { Config } from './config.ts';
import { createDatabase, type DatabaseHandle } from './db/connect.ts';
import type { Db } from './db/database.ts';
import type { HoldStore } from './holds/hold-store.ts';
import { createMemoryHoldStore } from './holds/memory-hold-store.ts';
import { createRedisClient, waitForRedis } from './holds/redis-client.ts';
import { createRedisHoldStore } from './holds/redis-hold-store.ts';
import { memoryRateWindows, type RateWindows, redisRateWindows } from './limits/rate-window.ts';
import type { EventBus } from './live/event-bus.ts';
import { createMemoryEventBus } from './live/memory-event-bus.ts';
import { createRedisEventBus } from './live/redis-event-bus.ts';
import { createSeatEvents, type SeatEvents } from './live/seat-events.ts';
import { dbTimingPlugin } from './metrics/db-timing.ts';
import { timedHoldStore } from './metrics/hold-store-timing.ts';
import { createMetrics, type Metrics } from './metrics/registry.ts';

/** Everything a request needs, created in one place and closed in one place. */
export interface AppContext {
  config: Config;
  mode: { database: 'postgres' | 'pglite'; holds: 'redis' | 'memory'; location: string };
  db: Db;
  redis: Redis | undefined;
  holdStore: HoldStore;
  bus: EventBus;
  events: SeatEvents;
  layouts: SeatLayouts;
  catalog: CatalogService;
  holds: HoldService;
  reservations: ReservationService;
  markers: ReservedMarkers;
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

  const database: DatabaseHandle = await createDatabase(config, log, { maxConnections: config.DATABASE_POOL_SIZE });
  closers.push(() => database.close());

  let redis: Redis | undefined;
  let holdStore: HoldStore;
  let bus: EventBus;
  if (config.REDIS_URL) {
    redis = createRedisClient(config.REDIS_URL, { logger: log, name: 'seatmap' });
    try {
      await waitForRedis(redis, 10_000);
    } catch (err) {
      redis.disconnect();
      await database.close();
      throw err;
    }
    holdStore = createRedisHoldStore({
      redis,
      prefix: config.REDIS_KEY_PREFIX,
      ownsClient: false,
      // After Redis lost its data, nothing changes a seat before the markers and versions are restored.
      onNotLoaded: () => context.markers.ensure(),
    });
    // Subscriptions need a connection of their own, connected before the first SUBSCRIBE (no offline queue).
    const sub = redis.duplicate();
    await waitForRedis(sub, 10_000);
    bus = createRedisEventBus({ pub: redis, sub, prefix: config.REDIS_KEY_PREFIX, logger: log });
    closers.push(async () => {
      await bus.close();
      await holdStore.close();
      await redis?.quit().catch(() => redis?.disconnect());
    });
  } else {
    holdStore = createMemoryHoldStore();
    bus = createMemoryEventBus({ logger: log });
    closers.push(async () => {
      await bus.close();
      await holdStore.close();
    });
  }

  // Everything above the stores sees timed versions of them (/metrics: hold-store and database latency).
  const metrics = createMetrics();
  holdStore = timedHoldStore(holdStore, metrics);
  const db = database.db.withPlugin(dbTimingPlugin(metrics));
  const events = createSeatEvents(bus, log);
  const layouts = createSeatLayouts(db);
  const catalog = createCatalogService({ db, holdStore, layouts, now });
  const windows = redis ? redisRateWindows(redis, config.REDIS_KEY_PREFIX, now) : memoryRateWindows(now);
  const context: AppContext = {
    config,
    mode: { database: database.kind, holds: holdStore.kind, location: database.location },
    db,
    redis,
    holdStore,
    bus,
    events,
    layouts,
    catalog,
    holds: createHoldService({ config, holdStore, catalog, events, now }),
    reservations: withLockout(
      createReservationService({ config, db, holdStore, catalog, events, now, log }),
      windows('lockout', LOCKOUT_LIMIT),
    ),
    markers: createReservedMarkers({ db, holdStore, bus, events, log, now }),
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
