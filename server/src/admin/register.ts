import type { FastifyInstance } from 'fastify';
import { createPurchaseLimits } from '../booking/purchase-limit.ts';
import { purchaseLimitAdminRoutes } from '../booking/purchase-limit-routes.ts';
import type { AppContext } from '../context.ts';
import type { Live } from '../live/register.ts';
import { createAdminAuth } from './auth.ts';
import { registerBoxOffice } from './boxoffice.ts';
import { adminRoutes } from './routes.ts';
import { createSeatsForSale } from './seats-for-sale.ts';
import { createAdminService } from './service.ts';
import { createStatsService } from './stats.ts';

/**
 * Adds the box office to an app: the admin HTTP API under /api/admin and the `/boxoffice` Socket.IO namespace on
 * the live gateway's server, both behind `config.ADMIN_TOKEN` (refused when it is unset). Call before `ready`.
 */
export async function registerAdmin(app: FastifyInstance, deps: { context: AppContext; live: Live }): Promise<void> {
  const { context, live } = deps;
  const auth = createAdminAuth(context.config.ADMIN_TOKEN);
  if (!auth.enabled) app.log.warn('ADMIN_TOKEN is not set: the box office API and /boxoffice are disabled');
  const stats = createStatsService(context);
  const admin = createAdminService(context);
  const seats = createSeatsForSale(context);
  await app.register(adminRoutes, { prefix: '/api/admin', auth, admin, stats, seats, presales: context.presales });
  await app.register(purchaseLimitAdminRoutes, { prefix: '/api/admin', auth, limits: createPurchaseLimits(context) });
  const boxOffice = registerBoxOffice({
    io: live.gateway.io,
    auth,
    stats,
    stream: live.stream,
    directory: context.layouts,
    holdStore: context.holdStore,
    totals: live.totals,
    logger: app.log,
  });
  app.addHook('preClose', async () => boxOffice.close());
}
