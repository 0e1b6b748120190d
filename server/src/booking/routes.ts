import {
  ADMISSION_HEADER,
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
import { clientKey } from '../limits/client-address.ts';
import { type AdmissionGuard, openGate } from '../queue/admission-guard.ts';
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
/** SPEC §10: holds, hold changes and reservations of a queued concert carry the admission token. */
const admissionHeaders = z.looseObject({ [ADMISSION_HEADER]: z.string().max(200).optional() });
const idempotencyHeaders = admissionHeaders.extend({ 'idempotency-key': z.string().min(1).max(255).optional() });
const denied = { 403: errorBodySchema, 503: errorBodySchema };

/** Hold and reservation routes (SPEC §5); `admission` guards the performances of queued concerts (SPEC §10). */
export const bookingRoutes: FastifyPluginAsyncZod<{
  holds: HoldService;
  reservations: ReservationService;
  admission?: AdmissionGuard;
}> = async (app, { holds, reservations, admission = openGate }) => {
  app.post(
    '/schedules/:scheduleId/holds',
    {
      schema: {
        tags: ['holds'],
        summary: 'Hold seats (all or nothing), by id or best available',
        params: z.object({ scheduleId: uuid }),
        headers: admissionHeaders,
        body: createHoldBodySchema,
        response: { 201: holdSchema, ...conflict, ...denied, 429: errorBodySchema },
      },
    },
    async (request, reply) => {
      const { scheduleId } = request.params;
      // The hold cap counts per admission on a queued concert, else per client address (SPEC §11).
      const hold = await admission.hold(scheduleId, request.headers[ADMISSION_HEADER], (admitted) =>
        holds.create(scheduleId, request.body, admitted ?? `address:${clientKey(request.ip)}`),
      );
      return reply.status(201).send(hold);
    },
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
        headers: admissionHeaders,
        body: patchHoldBodySchema,
        response: { 200: holdSchema, ...conflict, ...denied, 429: errorBodySchema },
      },
    },
    (request) =>
      admission.change(request.params.holdId, request.headers[ADMISSION_HEADER], () =>
        holds.modify(request.params.holdId, request.body),
      ),
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
        response: { 201: reservationSchema, 422: errorBodySchema, ...conflict, ...denied },
      },
    },
    async (request, reply) => {
      const reservation = await admission.booking(request.body.holdId, request.headers[ADMISSION_HEADER], () =>
        reservations.create(request.body, request.headers['idempotency-key']),
      );
      return reply.status(201).send(reservation);
    },
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
