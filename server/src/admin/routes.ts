import {
  adminConcertListSchema,
  adminConcertSchema,
  adminReservationListSchema,
  adminScheduleListSchema,
  adminScheduleSchema,
  createConcertBodySchema,
  createPresaleBodySchema,
  createScheduleBodySchema,
  isoDateTime,
  presaleCodeListSchema,
  presaleListSchema,
  presaleSchema,
  seatsForSaleBodySchema,
  seatsForSaleResultSchema,
  statsSchema,
  uuid,
  withheldSeatListSchema,
} from '@seatmap/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Presales } from '../booking/presale.ts';
import { adminRoute, bodyErrors, errorResponses } from '../http/openapi.ts';
import { type AdminAuth, requireAdmin } from './auth.ts';
import { presaleCodesCsv, reservationsCsv } from './csv.ts';
import type { SeatsForSale } from './seats-for-sale.ts';
import type { AdminService } from './service.ts';
import type { StatsService } from './stats.ts';

const concertParams = z.object({ concertId: uuid });
const scheduleParams = z.object({ scheduleId: uuid });
const presaleParams = z.object({ presaleId: uuid });
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

/** The CSV variant of a presale window's codes. */
const presaleCodesCsvSchema = z
  .string()
  .describe('UTF-8 with a byte-order mark; a header row, then code,uses per code');

/** Box office (SPEC §5, §12), every route behind the admin token. Register with the prefix /api/admin. */
export const adminRoutes: FastifyPluginAsyncZod<{
  auth: AdminAuth;
  admin: AdminService;
  stats: StatsService;
  seats: SeatsForSale;
  presales: Presales;
}> = async (app, { auth, admin, stats, seats, presales }) => {
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
        summary: 'Create a performance: seats generated row by row (A01…), standing areas, seat flags',
        description:
          'Sections are laid out automatically (stage at the top), or where each says (x, y of its first seat). ' +
          'Standing areas are sold by quantity with numbered entry; `accessibleSeats` / `companionSeats` name seats ' +
          'by the numbers the shared `generateSeats` gives them. Flags, areas and prices are fixed from then on.',
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

  app.get(
    '/schedules/:scheduleId/seats',
    {
      schema: {
        tags: ['box office'],
        operationId: 'adminListWithheldSeats',
        summary: 'Seats not for sale (kills, house seats) with their reasons',
        security,
        params: scheduleParams,
        response: { 200: withheldSeatListSchema, ...errorResponses(400, 404, ...adminErrors) },
      },
    },
    (request) => seats.list(request.params.scheduleId),
  );

  app.patch(
    '/schedules/:scheduleId/seats',
    {
      schema: {
        tags: ['box office'],
        operationId: 'adminSetSeatsForSale',
        summary: 'Withhold seats from sale (with a reason) or put them back on sale, live on every map',
        description:
          'All or nothing. Withheld seats show as `r` (reserved) to customers at once and no hold can take them; ' +
          'seats held or booked now cannot be withheld (409 SEAT_UNAVAILABLE). Releasing a seat that is not ' +
          'withheld changes nothing.',
        security,
        params: scheduleParams,
        body: seatsForSaleBodySchema,
        response: { 200: seatsForSaleResultSchema, ...errorResponses(...bodyErrors, 404, 409, ...adminErrors) },
      },
    },
    (request) => seats.set(request.params.scheduleId, request.body),
  );

  app.get(
    '/concerts/:concertId/presales',
    {
      schema: {
        tags: ['box office'],
        operationId: 'adminListPresales',
        summary: 'Presale windows of a concert with their code and use counts',
        security,
        params: concertParams,
        response: { 200: presaleListSchema, ...errorResponses(400, 404, ...adminErrors) },
      },
    },
    (request) => presales.list(request.params.concertId),
  );

  app.post(
    '/concerts/:concertId/presales',
    {
      schema: {
        tags: ['box office'],
        operationId: 'adminCreatePresale',
        summary: 'Create a presale window with imported (`codes`) or generated (`codeCount`) access codes',
        description:
          'Inside the window, holds and bookings of the concert need `X-Presale-Code`; each code books at most ' +
          '`maxUsesPerCode` times. Other nodes apply a new window within 2 seconds.',
        security,
        params: concertParams,
        body: createPresaleBodySchema,
        response: { 201: presaleSchema, ...errorResponses(...bodyErrors, 404, ...adminErrors) },
      },
    },
    async (request, reply) => reply.status(201).send(await presales.create(request.params.concertId, request.body)),
  );

  app.get(
    '/presales/:presaleId/codes',
    {
      schema: {
        tags: ['box office'],
        operationId: 'adminListPresaleCodes',
        summary: 'The access codes of a presale window with their uses (CSV with Accept: text/csv)',
        security,
        params: presaleParams,
        response: {
          200: {
            description: 'The codes, as JSON or (Accept: text/csv) as a CSV file',
            content: {
              'application/json': { schema: presaleCodeListSchema },
              'text/csv': { schema: presaleCodesCsvSchema },
            },
          },
          ...errorResponses(400, 404, ...adminErrors),
        },
      },
    },
    async (request, reply) => {
      const list = await presales.codes(request.params.presaleId);
      reply.header('cache-control', 'no-store').header('vary', 'Accept');
      if (wantsCsv(request.headers.accept)) {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="presale-codes-${list.presaleId.slice(0, 8)}.csv"`)
          .send(presaleCodesCsv(list) as unknown as z.infer<typeof presaleCodeListSchema>);
      }
      return list;
    },
  );

  app.delete(
    '/presales/:presaleId',
    {
      schema: {
        tags: ['box office'],
        operationId: 'adminDeletePresale',
        summary: 'Delete a presale window and its codes',
        security,
        params: presaleParams,
        response: { 204: z.null(), ...errorResponses(400, 404, ...adminErrors) },
      },
    },
    async (request, reply) => {
      await presales.remove(request.params.presaleId);
      return reply.status(204).send(null);
    },
  );
};
