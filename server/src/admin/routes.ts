import {
  adminConcertListSchema,
  adminConcertSchema,
  adminReservationListSchema,
  adminScheduleListSchema,
  adminScheduleSchema,
  createConcertBodySchema,
  createScheduleBodySchema,
  isoDateTime,
  statsSchema,
  uuid,
} from '@seatmap/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { adminRoute, bodyErrors, errorResponses } from '../http/openapi.ts';
import { type AdminAuth, requireAdmin } from './auth.ts';
import { reservationsCsv } from './csv.ts';
import type { AdminService } from './service.ts';
import type { StatsService } from './stats.ts';

const concertParams = z.object({ concertId: uuid });
const scheduleParams = z.object({ scheduleId: uuid });
/** Every box-office route: no or a wrong token, too many failed sign-ins, a store down. */
const adminErrors = [401, 403, 429, 503] as const;

/** The CSV variant of the reservations list (a file download). */
const reservationsCsvSchema = z
  .string()
  .describe('UTF-8 with a byte-order mark; a header row, then one row per reservation, seats space-separated');

/** Whether the client asked for CSV (`Accept: text/csv`) rather than JSON. */
function wantsCsv(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => part.split(';')[0]!.trim().toLowerCase() === 'text/csv');
}

/** Box office (SPEC §5), every route behind the admin token. Register with the prefix /api/admin. */
export const adminRoutes: FastifyPluginAsyncZod<{ auth: AdminAuth; admin: AdminService; stats: StatsService }> = async (
  app,
  { auth, admin, stats },
) => {
  app.addHook('onRequest', requireAdmin(auth));
  const security = adminRoute;

  app.get(
    '/concerts',
    {
      schema: {
        tags: ['box office'],
        operationId: 'adminListConcerts',
        summary: 'Every concert, newest first, with its number of performances',
        security,
        response: { 200: adminConcertListSchema, ...errorResponses(...adminErrors) },
      },
    },
    () => admin.listConcerts(),
  );

  app.post(
    '/concerts',
    {
      schema: {
        tags: ['box office'],
        operationId: 'adminCreateConcert',
        summary: 'Create a concert',
        security,
        body: createConcertBodySchema,
        response: { 201: adminConcertSchema, ...errorResponses(...bodyErrors, ...adminErrors) },
      },
    },
    async (request, reply) => reply.status(201).send(await admin.createConcert(request.body)),
  );

  app.get(
    '/concerts/:concertId/schedules',
    {
      schema: {
        tags: ['box office'],
        operationId: 'adminListSchedules',
        summary: 'Every performance of a concert, past ones included, ascending',
        security,
        params: concertParams,
        response: { 200: adminScheduleListSchema, ...errorResponses(400, 404, ...adminErrors) },
      },
    },
    (request) => admin.listSchedules(request.params.concertId),
  );

  app.post(
    '/concerts/:concertId/schedules',
    {
      schema: {
        tags: ['box office'],
        operationId: 'adminCreateSchedule',
        summary: 'Create a performance and generate its seats (row by row, A01…, stage at the top)',
        security,
        params: concertParams,
        body: createScheduleBodySchema,
        response: { 201: adminScheduleSchema, ...errorResponses(...bodyErrors, 404, ...adminErrors) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await admin.createSchedule(request.params.concertId, request.body)),
  );

  app.get(
    '/schedules/:scheduleId/stats',
    {
      schema: {
        tags: ['box office'],
        operationId: 'adminGetStats',
        summary: 'Sell-through per grade: available, held, reserved, revenue',
        security,
        params: scheduleParams,
        response: { 200: statsSchema, ...errorResponses(400, 404, ...adminErrors) },
      },
    },
    (request) => stats.compute(request.params.scheduleId),
  );

  app.get(
    '/schedules/:scheduleId/reservations',
    {
      schema: {
        tags: ['box office'],
        operationId: 'adminListReservations',
        summary: 'Reservations of a performance, newest first (CSV with Accept: text/csv)',
        description:
          'JSON by default. With `Accept: text/csv` the same rows as a UTF-8 CSV file with a byte-order mark ' +
          '(Excel shows Korean names), one row per reservation, seats space-separated.',
        security,
        params: scheduleParams,
        querystring: z.object({
          since: isoDateTime.optional().describe('only reservations created after this instant'),
          limit: z.coerce.number().int().min(1).max(100_000).optional(),
        }),
        response: {
          200: {
            description: 'The reservations, as JSON or (Accept: text/csv) as a CSV file',
            content: {
              'application/json': { schema: adminReservationListSchema },
              'text/csv': { schema: reservationsCsvSchema },
            },
          },
          ...errorResponses(400, 404, ...adminErrors),
        },
      },
    },
    async (request, reply) => {
      const { since, limit } = request.query;
      const result = await admin.reservations(request.params.scheduleId, {
        ...(since ? { since: new Date(since) } : {}),
        ...(limit !== undefined ? { limit } : {}),
      });
      reply.header('cache-control', 'no-store').header('vary', 'Accept');
      if (wantsCsv(request.headers.accept)) {
        const name = `reservations-${result.layout.dateTime.toISOString().slice(0, 10)}-${result.scheduleId.slice(0, 8)}.csv`;
        // A string body with a non-JSON content type goes out as is, past the JSON serializer.
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}"`)
          .send(reservationsCsv(result.reservations) as unknown as z.infer<typeof adminReservationListSchema>);
      }
      return { scheduleId: result.scheduleId, reservations: result.reservations };
    },
  );
};
