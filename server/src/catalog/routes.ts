import {
  concertDetailSchema,
  concertListSchema,
  isoDate,
  layoutAnswerSchema,
  layoutQuerySchema,
  scheduleListSchema,
  scheduleStatusSchema,
  seatMapSchema,
  uuid,
} from '@seatmap/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, publicRoute } from '../http/openapi.ts';
import { columnarBody } from './layout-compact.ts';
import { type Encoding, negotiateEncoding } from './seat-map-cache.ts';
import type { CatalogService } from './service.ts';

/** A year: a versioned layout URL never changes. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Sends a pre-serialised (and maybe pre-compressed) JSON body as is: a string or Buffer body with a JSON content
 * type skips the schema serializer, so a 50,000-seat body is not re-validated or re-compressed per request.
 */
async function sendPrepared(
  request: FastifyRequest,
  reply: FastifyReply,
  body: (encoding: Encoding) => Promise<string | Buffer>,
) {
  const encoding = negotiateEncoding(request.headers['accept-encoding']);
  const prepared = await body(encoding);
  reply.header('vary', 'accept-encoding').type('application/json; charset=utf-8');
  if (encoding !== 'identity') reply.header('content-encoding', encoding);
  return reply.send(prepared as never);
}

/** Whether an If-None-Match header names this ETag (weak or strong, in a list, or `*`). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

const concertParams = z.object({ concertId: uuid });
const scheduleParams = z.object({ scheduleId: uuid });

/** Browse routes (SPEC §5). */
export const catalogRoutes: FastifyPluginAsyncZod<{ catalog: CatalogService }> = async (app, { catalog }) => {
  app.get(
    '/concerts',
    {
      schema: {
        tags: ['browse'],
        operationId: 'listConcerts',
        summary: 'Concerts with a future performance, newest first',
        security: publicRoute,
        response: { 200: concertListSchema, ...errorResponses(503) },
      },
    },
    () => catalog.listConcerts(),
  );

  app.get(
    '/concerts/:concertId',
    {
      schema: {
        tags: ['browse'],
        operationId: 'getConcert',
        summary: 'One concert with its bookable venue-local dates',
        security: publicRoute,
        params: concertParams,
        response: { 200: concertDetailSchema, ...errorResponses(400, 404, 503) },
      },
    },
    (request) => catalog.getConcert(request.params.concertId),
  );

  app.get(
    '/concerts/:concertId/schedules',
    {
      schema: {
        tags: ['browse'],
        operationId: 'listSchedules',
        summary: 'Performances on one venue-local date',
        security: publicRoute,
        params: concertParams,
        querystring: z.object({ date: isoDate }),
        response: { 200: scheduleListSchema, ...errorResponses(400, 404, 503) },
      },
    },
    (request) => catalog.listSchedules(request.params.concertId, request.query.date),
  );

  app.get(
    '/schedules/:scheduleId/seats',
    {
      schema: {
        tags: ['browse'],
        operationId: 'getSeatMap',
        summary: 'The live seat map of a performance, with its version',
        security: publicRoute,
        params: scheduleParams,
        response: { 200: seatMapSchema, ...errorResponses(400, 404, 503) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return sendPrepared(request, reply, (encoding) => catalog.seatMapBody(request.params.scheduleId, encoding));
    },
  );

  app.get(
    '/schedules/:scheduleId/layout',
    {
      schema: {
        tags: ['browse'],
        operationId: 'getLayout',
        summary: 'The seats of a performance without their status, in seat order (cache it: ETag, ?v=)',
        description:
          'The index of a seat in `seats` is its index in `…/status` and in every `seats:changed`. `ETag` is the ' +
          'layoutVersion (304 on If-None-Match); `?v=<layoutVersion>` answers with a year-long immutable cache. ' +
          '`?form=columns` answers the same content with the seats as one column per field (`ColumnarLayout`, ' +
          'decision 0013; ETag `"<layoutVersion>.columns"`), a fraction of the bytes to read and parse.',
        security: publicRoute,
        params: scheduleParams,
        querystring: layoutQuerySchema,
        response: {
          200: layoutAnswerSchema,
          304: z.null(),
          ...errorResponses(400, 404, 503),
        },
      },
    },
    async (request, reply) => {
      const layout = await catalog.requireLayout(request.params.scheduleId);
      const columns = request.query.form === 'columns';
      const etag = `"${layout.layoutVersion}${columns ? '.columns' : ''}"`;
      // A stale ?v= gets the current layout, but not under a year-long promise for a URL that named another one.
      reply
        .header('etag', etag)
        .header('cache-control', request.query.v === layout.layoutVersion ? IMMUTABLE : 'no-cache');
      if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send(null);
      const body = columns ? columnarBody(layout) : layout.body();
      return sendPrepared(request, reply, async (encoding) => body.get(encoding));
    },
  );

  app.get(
    '/schedules/:scheduleId/status',
    {
      schema: {
        tags: ['browse'],
        operationId: 'getScheduleStatus',
        summary: 'Every seat’s status as one character, in seat order, with the version',
        description:
          '`a` available, `h` held, `r` reserved or not for sale. Never older than a `seats:changed` already ' +
          'delivered; a client applies events with a higher version on top.',
        security: publicRoute,
        params: scheduleParams,
        response: { 200: scheduleStatusSchema, ...errorResponses(400, 404, 503) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return sendPrepared(request, reply, (encoding) => catalog.statusBody(request.params.scheduleId, encoding));
    },
  );
};
