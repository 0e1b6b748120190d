import {
  ADMISSION_HEADER,
  cancelBodySchema,
  cancelResultSchema,
  createHoldBodySchema,
  createReservationBodySchema,
  holdSchema,
  lookupBodySchema,
  lookupResultSchema,
  PRESALE_CODE_HEADER,
  patchHoldBodySchema,
  plainText,
  reservationSchema,
  uuid,
} from '@seatmap/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bodyErrors, errorResponses, publicRoute } from '../http/openapi.ts';
import { clientKey } from '../limits/client-address.ts';
import { type AdmissionGuard, openGate } from '../queue/admission-guard.ts';
import type { HoldService } from './hold-service.ts';
import type { PresaleGate } from './presale.ts';
import type { ReservationService } from './reservation-service.ts';

const holdParams = z.object({
  holdId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, 'hold id'),
});
/**
 * SPEC §10: holds, hold changes and reservations of a queued concert carry the admission token; SPEC §12: inside a
 * presale window they carry the presale code.
 */
const admissionHeaders = z.looseObject({
  [ADMISSION_HEADER]: z.string().max(200).optional(),
  [PRESALE_CODE_HEADER]: z.string().max(64).optional(),
});
const idempotencyHeaders = admissionHeaders.extend({ 'idempotency-key': z.string().min(1).max(255).optional() });

/** Hold and reservation routes (SPEC §5); `admission` guards the performances of queued concerts (SPEC §10). */
export const bookingRoutes: FastifyPluginAsyncZod<{
  holds: HoldService;
  reservations: ReservationService;
  admission?: AdmissionGuard;
  presale?: PresaleGate;
}> = async (app, { holds, reservations, admission = openGate, presale }) => {
  app.post(
    '/schedules/:scheduleId/holds',
    {
      schema: {
        tags: ['holds'],
        operationId: 'createHold',
        summary: 'Hold seats (all or nothing), by id or best available',
        security: publicRoute,
        params: z.object({ scheduleId: uuid }),
        headers: admissionHeaders,
        body: createHoldBodySchema,
        response: { 201: holdSchema, ...errorResponses(...bodyErrors, 403, 404, 409, 429, 503) },
      },
    },
    async (request, reply) => {
      const { scheduleId } = request.params;
      // The hold cap counts per admission on a queued concert, else per client address (SPEC §11). The presale code
      // is checked inside the admission: nobody tries codes without having queued first.
      const hold = await admission.hold(scheduleId, request.headers[ADMISSION_HEADER], async (admitted) => {
        await presale?.hold(scheduleId, request.headers[PRESALE_CODE_HEADER]);
        return holds.create(scheduleId, request.body, admitted ?? `address:${clientKey(request.ip)}`);
      });
      return reply.status(201).send(hold);
    },
  );

  app.get(
    '/holds/:holdId',
    {
      schema: {
        tags: ['holds'],
        operationId: 'getHold',
        summary: 'A hold: its seats and when it expires',
        security: publicRoute,
        params: holdParams,
        response: { 200: holdSchema, ...errorResponses(400, 404, 503) },
      },
    },
    (request) => holds.get(request.params.holdId),
  );

  app.patch(
    '/holds/:holdId',
    {
      schema: {
        tags: ['holds'],
        operationId: 'changeHold',
        summary: 'Add (all or nothing) or remove seats',
        security: publicRoute,
        params: holdParams,
        headers: admissionHeaders,
        body: patchHoldBodySchema,
        response: { 200: holdSchema, ...errorResponses(...bodyErrors, 403, 404, 409, 429, 503) },
      },
    },
    (request) =>
      admission.change(request.params.holdId, request.headers[ADMISSION_HEADER], async () => {
        if (request.body.add) await presale?.change(request.params.holdId, request.headers[PRESALE_CODE_HEADER]);
        return holds.modify(request.params.holdId, request.body);
      }),
  );

  app.delete(
    '/holds/:holdId',
    {
      schema: {
        tags: ['holds'],
        operationId: 'releaseHold',
        summary: 'Release a hold: its seats become available at once',
        security: publicRoute,
        params: holdParams,
        response: { 204: z.null(), ...errorResponses(400, 404, 429, 503) },
      },
    },
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
        operationId: 'createReservation',
        summary: 'Book a hold',
        description:
          'With `Idempotency-Key`, a retry of the same request answers the same reservation (booked once); the ' +
          'same key with another body answers 422.',
        security: publicRoute,
        headers: idempotencyHeaders,
        body: createReservationBodySchema,
        response: { 201: reservationSchema, ...errorResponses(...bodyErrors, 403, 404, 409, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const reservation = await admission.booking(request.body.holdId, request.headers[ADMISSION_HEADER], () =>
        reservations.create(request.body, request.headers['idempotency-key'], request.headers[PRESALE_CODE_HEADER]),
      );
      return reply.status(201).send(reservation);
    },
  );

  app.post(
    '/reservations/lookup',
    {
      schema: {
        tags: ['reservations'],
        operationId: 'lookupReservations',
        summary: 'Find reservations by two factors',
        security: publicRoute,
        body: lookupBodySchema,
        response: { 200: lookupResultSchema, ...errorResponses(...bodyErrors, 429, 503) },
      },
    },
    (request) => reservations.lookup(request.body),
  );

  app.post(
    '/reservations/:reservationNumber/cancel',
    {
      schema: {
        tags: ['reservations'],
        operationId: 'cancelReservation',
        summary: 'Cancel a reservation',
        security: publicRoute,
        params: z.object({ reservationNumber: plainText().min(1).max(32) }),
        body: cancelBodySchema,
        response: { 200: cancelResultSchema, ...errorResponses(...bodyErrors, 404, 409, 429, 503) },
      },
    },
    (request) => reservations.cancel(request.params.reservationNumber, request.body),
  );
};
