import zlib from 'node:zlib';
import compress from '@fastify/compress';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { DestinationStream } from 'pino';
import { registerAdmin } from './admin/register.ts';
import { createPresaleGate } from './booking/presale.ts';
import { bookingRoutes } from './booking/routes.ts';
import { configRoutes } from './catalog/config-routes.ts';
import { catalogRoutes } from './catalog/routes.ts';
import type { Config } from './config.ts';
import { type AppContext, type ContextOverrides, createContext } from './context.ts';
import { migrateToLatest } from './db/migrate.ts';
import { startSweeper } from './holds/sweeper.ts';
import { registerErrorHandler, sendError } from './http/error-handler.ts';
import { healthRoutes } from './http/health.ts';
import { registerLoadShedding } from './http/load-shedding.ts';
import { loggerOptions } from './http/log-redaction.ts';
import { registerOpenApi } from './http/openapi.ts';
import { limitSocketIo, registerRateLimits } from './http/rate-limit.ts';
import { OneLinePerRequest } from './http/request-log.ts';
import { registerSecurity } from './http/security.ts';
import { defaultClientDir, registerStatic } from './http/static.ts';
import { proxyTrust } from './limits/client-address.ts';
import { type Live, registerLive } from './live/register.ts';
import { createFanoutMetrics } from './metrics/fanout.ts';
import { withQueryKind } from './metrics/query-kind.ts';
import { registerMetrics } from './metrics/routes.ts';
import { admissionTokensOf } from './queue/admission-guard.ts';
import { registerQueue } from './queue/register.ts';

declare module 'fastify' {
  interface FastifyInstance {
    context: AppContext;
    /** The live gateway, stream and counters (tests observe what it sends). */
    live: Live;
  }
}

export interface BuildOptions extends ContextOverrides {
  /** Built client to serve at /; null serves none. Defaults to client/dist when it exists. */
  clientDir?: string | null;
  /** How often this node sweeps expired holds (ms). */
  sweepIntervalMs?: number;
  /** Where the log goes (tests read it back); stdout by default. */
  logStream?: DestinationStream;
}

/** Bodies are small JSON documents; anything bigger is refused with 413 before it is parsed. */
const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Builds the whole server — database, hold store, event bus, HTTP routes, live gateway — without listening.
 * Migrates on start and loads the demo data into an empty database when SEED_DEMO is on.
 */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config, options.logStream),
    logController: new OneLinePerRequest(),
    bodyLimit: BODY_LIMIT_BYTES,
    // main.ts drains for SHUTDOWN_DELAY_MS before close(); whatever is still open then is cut.
    forceCloseConnections: true,
    return503OnClosing: true,
    requestTimeout: 30_000,
    trustProxy: proxyTrust(config),
    // Malformed URLs and over-long path parameters are answered before routing, still in the SPEC error shape.
    frameworkErrors: (err, _request, reply) =>
      sendError(reply, err.statusCode ?? 400, 'VALIDATION_FAILED', err.message),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const context = await createContext(config, app.log, options);
  app.decorate('context', context);
  app.addHook('onClose', () => context.close());

  try {
    await migrateToLatest(context.db);
    if (config.SEED_DEMO) {
      const { seedDemoData } = await import('./catalog/demo-data.ts');
      await seedDemoData(context.db, { now: context.now() });
    }
    await context.holdStore.ensureLoaded();
  } catch (err) {
    await context.close();
    throw err;
  }

  const stopSweeper = startSweeper(context.holdStore, {
    intervalMs: options.sweepIntervalMs ?? 250,
    onError: (err) => app.log.warn({ err }, 'hold sweep failed'),
  });
  app.addHook('onClose', () => stopSweeper());

  // Security headers first, so that even a shed request's answer carries them.
  await registerSecurity(app, config);
  await registerLoadShedding(app, config);
  registerMetrics(app, context.metrics);
  // While draining, every answer closes its connection so keep-alive clients move to another node.
  // A callback hook, not an async one: it runs on every response, and a promise per response is not free.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (context.draining) reply.header('connection', 'close');
    done(null, payload);
  });

  // Seat maps are large and repetitive: a 50,000-seat map shrinks ~20× (fast settings, it is built per request).
  await app.register(compress, {
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
    zlibOptions: { level: 4 },
  });

  const clientPages = await registerStatic(app, options.clientDir === undefined ? defaultClientDir : options.clientDir);
  registerErrorHandler(app, { clientPages });
  await registerOpenApi(app);
  await registerRateLimits(app, context);

  const queue = await registerQueue(app, context, options);
  await app.register(healthRoutes, { context });
  await app.register(
    async (api) => {
      await api.register(catalogRoutes, { catalog: context.catalog });
      await api.register(configRoutes, { config });
      await api.register(bookingRoutes, {
        holds: context.holds,
        reservations: context.reservations,
        admission: queue.guard,
        presale: createPresaleGate(context),
      });
    },
    { prefix: '/api' },
  );
  const fanout = createFanoutMetrics(context.bus, context.metrics);
  const live = await registerLive(app, {
    config,
    bus: fanout.bus,
    redis: context.redis,
    directory: {
      exists: (id) => withQueryKind('live', () => context.layouts.exists(id)),
      version: (id) => context.holdStore.version(id),
      seatIndex: (id) => withQueryKind('live', async () => (await context.layouts.get(id))?.indexById ?? null),
      snapshot: (id, form) => withQueryKind('live', () => context.catalog.feedSnapshot(id, form)),
      areaBase: (id) => withQueryKind('live', () => context.catalog.areaBase(id)),
      admit: (id, auth) => queue.guard.join(id, admissionTokensOf(auth)),
    },
  });
  app.decorate('live', live);
  context.metrics.setLiveCounters(live.counters);
  fanout.watch(live.stream);
  limitSocketIo(live.gateway.io, context);
  await registerAdmin(app, { context, live });
  return app;
}
