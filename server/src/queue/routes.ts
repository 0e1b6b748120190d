import {
  queueChallengeSchema,
  queueConfigBodySchema,
  queueConfigSchema,
  queueJoinBodySchema,
  queuePatchBodySchema,
  queueStatsSchema,
  queueTicketSchema,
  queueTicketStatusSchema,
  uuid,
} from '@seatmap/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AdminAuth, requireAdmin } from '../admin/auth.ts';
import { adminRoute, bodyErrors, errorResponses, publicRoute } from '../http/openapi.ts';
import type { QueueMetrics } from './metrics.ts';
import type { QueueService } from './queue-service.ts';

const concertParams = z.object({ concertId: uuid });
const ticketParams = z.object({ ticket: queueTicketSchema });

/** Customer side of the waiting room (SPEC §10). Register with the prefix /api. */
export const queueRoutes: FastifyPluginAsyncZod<{ queue: QueueService; metrics: QueueMetrics }> = async (
  app,
  { queue, metrics },
) => {
  // Answers are personal and change by the second.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
  const timed = <T>(kind: string, work: () => Promise<T>) => {
    const end = metrics.pollDuration.startTimer({ kind });
    return work().finally(() => end());
  };

  app.post(
    '/concerts/:concertId/queue',
    {
      schema: {
        tags: ['waiting room'],
        operationId: 'joinQueue',
        summary: 'Join the waiting room, or (with a ticket) read the same place again',
        security: publicRoute,
        params: concertParams,
        body: queueJoinBodySchema,
        response: { 200: queueTicketStatusSchema, ...errorResponses(...bodyErrors, 404, 429, 503) },
      },
    },
    (request) => timed('join', () => queue.join(request.params.concertId, request.body)),
  );

  app.get(
    '/concerts/:concertId/queue/challenge',
    {
      schema: {
        tags: ['waiting room'],
        operationId: 'getQueueChallenge',
        summary: 'A single-use proof-of-work challenge (valid 5 minutes)',
        security: publicRoute,
        params: concertParams,
        response: { 200: queueChallengeSchema, ...errorResponses(400, 404, 503) },
      },
    },
    (request) => queue.challenge(request.params.concertId),
  );

  app.get(
    '/queue/:ticket',
    {
      schema: {
        tags: ['waiting room'],
        operationId: 'getQueueTicket',
        summary: "A ticket's place (cheap: poll it after pollAfterMs)",
        security: publicRoute,
        params: ticketParams,
        response: { 200: queueTicketStatusSchema, ...errorResponses(400, 404, 503) },
      },
    },
    (request) => timed('poll', () => queue.poll(request.params.ticket)),
  );

  app.delete(
    '/queue/:ticket',
    {
      schema: {
        tags: ['waiting room'],
        operationId: 'leaveQueue',
        summary: 'Leave the line, or give up the admission (its hold is released)',
        security: publicRoute,
        params: ticketParams,
        response: { 204: z.null(), ...errorResponses(400, 404, 429, 503) },
      },
    },
    async (request, reply) => {
      await queue.leave(request.params.ticket);
      return reply.status(204).send(null);
    },
  );
};

/** Box-office side of the waiting room. Register with the prefix /api/admin. */
export const queueAdminRoutes: FastifyPluginAsyncZod<{ queue: QueueService; auth: AdminAuth }> = async (
  app,
  { queue, auth },
) => {
  app.addHook('onRequest', requireAdmin(auth));
  const security = adminRoute;

  app.put(
    '/concerts/:concertId/queue',
    {
      schema: {
        tags: ['box office'],
        operationId: 'adminPutQueueConfig',
        summary: "Set up the concert's waiting room (also re-arms a queue whose state was lost)",
        security,
        params: concertParams,
        body: queueConfigBodySchema,
        response: { 200: queueConfigSchema, ...errorResponses(...bodyErrors, 401, 403, 404, 429, 503) },
      },
    },
    (request) => queue.putConfig(request.params.concertId, request.body),
  );

  app.get(
    '/concerts/:concertId/queue',
    {
      schema: {
        tags: ['box office'],
        operationId: 'adminGetQueueConfig',
        summary: "The concert's waiting-room settings",
        security,
        params: concertParams,
        response: { 200: queueConfigSchema, ...errorResponses(400, 401, 403, 404, 429, 503) },
      },
    },
    (request) => queue.getConfig(request.params.concertId),
  );

  app.patch(
    '/concerts/:concertId/queue',
    {
      schema: {
        tags: ['box office'],
        operationId: 'adminPauseQueue',
        summary: 'Pause or resume admissions (places are kept)',
        security,
        params: concertParams,
        body: queuePatchBodySchema,
        response: { 200: queueConfigSchema, ...errorResponses(...bodyErrors, 401, 403, 404, 429, 503) },
      },
    },
    (request) => queue.setPaused(request.params.concertId, request.body.paused),
  );

  app.get(
    '/concerts/:concertId/queue/stats',
    {
      schema: {
        tags: ['box office'],
        operationId: 'adminGetQueueStats',
        summary: 'Queue length, active admissions, admissions in total and in the last minute, expired admissions',
        security,
        params: concertParams,
        response: { 200: queueStatsSchema, ...errorResponses(400, 401, 403, 404, 429, 503) },
      },
    },
    (request) => queue.stats(request.params.concertId),
  );
};
