import {
  concertDetailSchema,
  concertListSchema,
  errorBodySchema,
  isoDate,
  type SeatMap,
  scheduleListSchema,
  seatMapSchema,
  uuid,
} from '@seatmap/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { negotiateEncoding } from './seat-map-cache.ts';
import type { CatalogService } from './service.ts';

const concertParams = z.object({ concertId: uuid });
const scheduleParams = z.object({ scheduleId: uuid });

/** Browse routes (SPEC §5). */
export const catalogRoutes: FastifyPluginAsyncZod<{ catalog: CatalogService }> = async (app, { catalog }) => {
  app.get(
    '/concerts',
    {
      schema: {
        tags: ['browse'],
        summary: 'Concerts with a future performance, newest first',
        response: { 200: concertListSchema },
      },
    },
    () => catalog.listConcerts(),
  );

  app.get(
    '/concerts/:concertId',
    {
      schema: {
        tags: ['browse'],
        summary: 'One concert with its bookable venue-local dates',
        params: concertParams,
        response: { 200: concertDetailSchema, 404: errorBodySchema },
      },
    },
    (request) => catalog.getConcert(request.params.concertId),
  );

  app.get(
    '/concerts/:concertId/schedules',
    {
      schema: {
        tags: ['browse'],
        summary: 'Performances on one venue-local date',
        params: concertParams,
        querystring: z.object({ date: isoDate }),
        response: { 200: scheduleListSchema, 404: errorBodySchema },
      },
    },
    (request) => catalog.listSchedules(request.params.concertId, request.query.date),
  );

  app.get(
    '/schedules/:scheduleId/seats',
    {
      schema: {
        tags: ['browse'],
        summary: 'The live seat map of a performance, with its version',
        params: scheduleParams,
        response: { 200: seatMapSchema, 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      // Pre-serialised and pre-compressed per version: a 50,000-seat map is not re-validated or re-compressed per
      // request. A string or Buffer body with a JSON content type is sent as is, without the schema serializer.
      const encoding = negotiateEncoding(request.headers['accept-encoding']);
      const body = await catalog.seatMapBody(request.params.scheduleId, encoding);
      reply
        .header('cache-control', 'no-store')
        .header('vary', 'accept-encoding')
        .type('application/json; charset=utf-8');
      if (encoding !== 'identity') reply.header('content-encoding', encoding);
      return reply.send(body as unknown as SeatMap);
    },
  );
};
