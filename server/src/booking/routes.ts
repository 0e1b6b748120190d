import {
  cancelBodySchema,
  cancelResultSchema,
  createHoldBodySchema,
  createReservationBodySchema,
  errorBodySchema,
  holdSchema,
  lookupBodySchema,
  lookupResultSchema,
  patchHoldBodySchema,
  plainText,
  reservationSchema,
  uuid,
} from '@seatmap/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HoldService } from './hold-service.ts';
import type { ReservationService } from './reservation-service.ts';

const holdParams = z.object({
  holdId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, 'hold id'),
});
const conflict = { 400: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const idempotencyHeaders = z.looseObject({ 'idempotency-key': z.string().min(1).max(255).optional() });

/** Hold and reservation routes (SPEC §5). */
export const bookingRoutes: FastifyPluginAsyncZod<{ holds: HoldService; reservations: ReservationService }> = async (
  app,
  { holds, reservations },
) => {
  app.post(
    '/schedules/:scheduleId/holds',
    {
      schema: {
        tags: ['holds'],
        summary: 'Hold seats (all or nothing), by id or best available',
        params: z.object({ scheduleId: uuid }),
        body: createHoldBodySchema,
        response: { 201: holdSchema, ...conflict },
      },
    },
    async (request, reply) => reply.status(201).send(await holds.create(request.params.scheduleId, request.body)),
  );

  app.get(
    '/holds/:holdId',
    { schema: { tags: ['holds'], params: holdParams, response: { 200: holdSchema, 404: errorBodySchema } } },
    (request) => holds.get(request.params.holdId),
  );

  app.patch(
    '/holds/:holdId',
    {
      schema: {
        tags: ['holds'],
        summary: 'Add (all or nothing) or remove seats',
        params: holdParams,
        body: patchHoldBodySchema,
        response: { 200: holdSchema, ...conflict },
      },
    },
    (request) => holds.modify(request.params.holdId, request.body),
  );

  app.delete(
    '/holds/:holdId',
    { schema: { tags: ['holds'], params: holdParams, response: { 204: z.null(), 404: errorBodySchema } } },
    async (request, reply) => {
      await holds.release(request.params.holdId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/reservations',
    {
      schema: {
        tags: ['reservations'],
        summary: 'Book a hold',
        headers: idempotencyHeaders,
        body: createReservationBodySchema,
        response: { 201: reservationSchema, 422: errorBodySchema, ...conflict },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await reservations.create(request.body, request.headers['idempotency-key'])),
  );

  app.post(
    '/reservations/lookup',
    {
      schema: {
        tags: ['reservations'],
        summary: 'Find reservations by two factors',
        body: lookupBodySchema,
        response: { 200: lookupResultSchema, 400: errorBodySchema },
      },
    },
    (request) => reservations.lookup(request.body),
  );

  app.post(
    '/reservations/:reservationNumber/cancel',
    {
      schema: {
        tags: ['reservations'],
        summary: 'Cancel a reservation',
        params: z.object({ reservationNumber: plainText().min(1).max(32) }),
        body: cancelBodySchema,
        response: { 200: cancelResultSchema, ...conflict },
      },
    },
    (request) => reservations.cancel(request.params.reservationNumber, request.body),
  );
};
