import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { pingDatabase } from '../db/ping.ts';
import { publicRoute } from './openapi.ts';

const READY_TIMEOUT_MS = 1500;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function check(probe: () => Promise<unknown>): Promise<'ok' | 'down'> {
  try {
    await withTimeout(probe(), READY_TIMEOUT_MS);
    return 'ok';
  } catch {
    return 'down';
  }
}

const readySchema = z
  .object({
    status: z.enum(['ok', 'unavailable', 'draining']),
    checks: z.object({ database: z.enum(['ok', 'down']), holdStore: z.enum(['ok', 'down']) }),
    mode: z.object({ database: z.string(), holds: z.string() }),
  })
  .meta({ id: 'Readiness' });
const livenessSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Liveness' });

/** Liveness (the process answers) and readiness (database and hold store answer). */
export const healthRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  app.get(
    '/health/live',
    {
      schema: {
        tags: ['operations'],
        operationId: 'getLiveness',
        summary: 'Liveness: the process answers',
        security: publicRoute,
        response: { 200: livenessSchema },
      },
    },
    () => ({ status: 'ok' as const }),
  );

  app.get(
    '/health/ready',
    {
      schema: {
        tags: ['operations'],
        operationId: 'getReadiness',
        summary: 'Readiness: the database and the hold store answer and the node is not draining',
        security: publicRoute,
        response: {
          200: readySchema,
          503: readySchema.describe('Not ready (a store is down, or the node drains before shutting down)'),
        },
      },
    },
    async (_request, reply) => {
      const [database, holdStore] = await Promise.all([
        check(() => pingDatabase(context.db)),
        check(() => context.holdStore.ping()),
      ]);
      const ok = database === 'ok' && holdStore === 'ok' && !context.draining;
      return reply.status(ok ? 200 : 503).send({
        status: ok ? 'ok' : context.draining ? 'draining' : 'unavailable',
        checks: { database, holdStore },
        mode: { database: context.mode.database, holds: context.mode.holds },
      });
    },
  );
};
