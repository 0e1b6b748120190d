import { type PublicConfig, publicConfigSchema } from '@seatmap/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Config } from '../config.ts';
import { errorResponses, publicRoute } from '../http/openapi.ts';

/** `GET /api/config`: the limits a customer's client shows before it asks (seats per hold, the hold's clock). */
export const configRoutes: FastifyPluginAsyncZod<{ config: Config }> = async (app, { config }) => {
  const body: PublicConfig = {
    maxSeatsPerHold: config.MAX_SEATS_PER_HOLD,
    holdTtlSeconds: config.HOLD_TTL_SECONDS,
  };
  app.get(
    '/config',
    {
      schema: {
        tags: ['browse'],
        operationId: 'getPublicConfig',
        summary: 'Customer-facing limits: seats per hold and the hold time',
        security: publicRoute,
        response: { 200: publicConfigSchema, ...errorResponses(503) },
      },
    },
    async (_request, reply) => {
      // Fixed for the life of the process; a minute of caching keeps it cheap without hiding a restart for long.
      reply.header('cache-control', 'public, max-age=60');
      return body;
    },
  );
};
