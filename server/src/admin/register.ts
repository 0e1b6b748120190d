import type { FastifyInstance } from 'fastify';
import type { Server } from 'socket.io';
import type { AppContext } from '../context.ts';
import { createAdminAuth } from './auth.ts';
import { registerBoxOffice } from './boxoffice.ts';
import { adminRoutes } from './routes.ts';
import { createAdminService } from './service.ts';
import { createStatsService } from './stats.ts';

/**
 * Adds the box office to an app: the admin HTTP API under /api/admin and the `/boxoffice` Socket.IO namespace on
 * the live gateway's server, both behind `config.ADMIN_TOKEN` (refused when it is unset). Call before `ready`.
 */
export async function registerAdmin(app: FastifyInstance, deps: { context: AppContext; io: Server }): Promise<void> {
  const { context } = deps;
  const auth = createAdminAuth(context.config.ADMIN_TOKEN);
  if (!auth.enabled) app.log.warn('ADMIN_TOKEN is not set: the box office API and /boxoffice are disabled');
  const stats = createStatsService(context);
  const admin = createAdminService(context);
  await app.register(adminRoutes, { prefix: '/api/admin', auth, admin, stats });
  const boxOffice = registerBoxOffice({ ...context, io: deps.io, auth, stats, logger: app.log });
  app.addHook('preClose', async () => boxOffice.close());
}
