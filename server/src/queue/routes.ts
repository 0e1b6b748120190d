import {
  errorBodySchema,
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
import type { QueueMetrics } from './metrics.ts';
import type { QueueService } from './queue-service.ts';

const concertParams = z.object({ concertId: uuid });
const ticketParams = z.object({ ticket: queueTicketSchema });
const errors = { 400: errorBodySchema, 404: errorBodySchema, 503: errorBodySchema };

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
        summary: 'Join the waiting room, or (with a ticket) read the same place again',
        params: concertParams,
        body: queueJoinBodySchema,
        response: { 200: queueTicketStatusSchema, ...errors },
      },
    },
    (request) => timed('join', () => queue.join(request.params.concertId, request.body)),
  );

  app.get(
    '/concerts/:concertId/queue/challenge',
    {
      schema: {
        tags: ['waiting room'],
        summary: 'A single-use proof-of-work challenge (valid 5 minutes)',
        params: concertParams,
        response: { 200: queueChallengeSchema, ...errors },
      },
    },
    (request) => queue.challenge(request.params.concertId),
  );

  app.get(
    '/queue/:ticket',
    {
      schema: {
        tags: ['waiting room'],
        summary: "A ticket's place (cheap: poll it after pollAfterMs)",
        params: ticketParams,
        response: { 200: queueTicketStatusSchema, ...errors },
      },
    },
    (request) => timed('poll', () => queue.poll(request.params.ticket)),
  );

  app.delete(
    '/queue/:ticket',
    {
      schema: {
        tags: ['waiting room'],
        summary: 'Leave the line, or give up the admission (its hold is released)',
        params: ticketParams,
        response: { 204: z.null(), ...errors },
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
  const security = [{ adminToken: [] }];
  const denied = { 401: errorBodySchema, 403: errorBodySchema, ...errors };

  app.put(
    '/concerts/:concertId/queue',
    {
      schema: {
        tags: ['box office'],
        summary: "Set up the concert's waiting room (also re-arms a queue whose state was lost)",
        security,
        params: concertParams,
        body: queueConfigBodySchema,
        response: { 200: queueConfigSchema, ...denied },
      },
    },
    (request) => queue.putConfig(request.params.concertId, request.body),
  );

  app.get(
    '/concerts/:concertId/queue',
    {
      schema: {
        tags: ['box office'],
        summary: "The concert's waiting-room settings",
        security,
        params: concertParams,
        response: { 200: queueConfigSchema, ...denied },
      },
    },
    (request) => queue.getConfig(request.params.concertId),
  );

  app.patch(
    '/concerts/:concertId/queue',
    {
      schema: {
        tags: ['box office'],
        summary: 'Pause or resume admissions (places are kept)',
        security,
        params: concertParams,
        body: queuePatchBodySchema,
        response: { 200: queueConfigSchema, ...denied },
      },
    },
    (request) => queue.setPaused(request.params.concertId, request.body.paused),
  );

  app.get(
    '/concerts/:concertId/queue/stats',
    {
      schema: {
        tags: ['box office'],
        summary: 'Queue length, active admissions, admissions in total and in the last minute, expired admissions',
        security,
        params: concertParams,
        response: { 200: queueStatsSchema, ...denied },
      },
    },
    (request) => queue.stats(request.params.concertId),
  );
};
