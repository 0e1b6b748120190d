import type { FastifyInstance } from 'fastify';
import { createAdminAuth } from '../admin/auth.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { type AdmissionGuard, createAdmissionGuard } from './admission-guard.ts';
import { startAdmitter } from './admitter.ts';
import { createMemoryQueueStore } from './memory-queue-store.ts';
import { registerQueueMetrics } from './metrics.ts';
import { createQueueConfigs } from './queue-configs.ts';
import { createQueueService, type QueueService } from './queue-service.ts';
import type { QueueStore } from './queue-store.ts';
import { createRedisQueueStore } from './redis-queue-store.ts';
import { queueAdminRoutes, queueRoutes } from './routes.ts';

export interface Queue {
  store: QueueStore;
  service: QueueService;
  /** Wraps holds, hold changes, bookings and live joins of queued concerts (SPEC §10). */
  guard: AdmissionGuard;
}

/**
 * Adds the waiting room to an app: its store (Redis, or memory when embedded), the settings copy, the customer
 * and box-office routes, the admitter loop every node runs, and its metrics. Call before the booking routes are
 * registered (they take `guard`). `now` injects the queue's clock (tests); otherwise Redis's clock is used.
 */
export async function registerQueue(app: FastifyInstance, context: AppContext, options: { now?: () => Date } = {}) {
  const { config, db, redis, holdStore, layouts, holds } = context;
  const now = options.now ? () => options.now!().getTime() : undefined;
  const store = redis
    ? createRedisQueueStore({ redis, prefix: config.REDIS_KEY_PREFIX, now })
    : createMemoryQueueStore({ now });
  const configs = createQueueConfigs(db, {
    refreshMs: config.QUEUE_CONFIG_REFRESH_MS,
    onError: (err) => app.log.warn({ err }, 'queue settings refresh failed; keeping the last copy'),
  });
  await configs.load();

  const releaseHold = async (holdId: string) => {
    await holds.release(holdId).catch((err: unknown) => {
      if (!(err instanceof AppError && err.code === 'HOLD_NOT_FOUND')) throw err;
    });
  };
  const service = createQueueService({ db, store, configs, releaseHold, now: now ?? Date.now, log: app.log });
  const guard = createAdmissionGuard({ store, configs, layouts, holdStore, releaseHold, log: app.log });
  const metrics = registerQueueMetrics(context.metrics.registry, { store, configs });

  await app.register(queueRoutes, { prefix: '/api', queue: service, metrics });
  await app.register(queueAdminRoutes, {
    prefix: '/api/admin',
    queue: service,
    auth: createAdminAuth(config.ADMIN_TOKEN),
  });
  const stopAdmitter = startAdmitter({
    store,
    configs,
    intervalMs: config.QUEUE_ADMIT_INTERVAL_MS,
    releaseHold,
    onAdmitted: (_concertId, n) => metrics.admissions.inc(n),
    onError: (err, concertId) => app.log.warn({ err, concertId }, 'queue admission step failed'),
  });
  app.addHook('onClose', async () => {
    configs.close();
    await stopAdmitter();
    await store.close();
  });
  return { store, service, guard } satisfies Queue;
}
