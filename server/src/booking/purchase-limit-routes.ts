import { purchaseLimitBodySchema, purchaseLimitSchema, uuid } from '@seatmap/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AdminAuth, requireAdmin } from '../admin/auth.ts';
import { adminRoute, bodyErrors, errorResponses } from '../http/openapi.ts';
import type { PurchaseLimits } from './purchase-limit.ts';

const concertParams = z.object({ concertId: uuid });

/** Box office: a concert's own purchase limit (SPEC §11). Register with the prefix /api/admin. */
export const purchaseLimitAdminRoutes: FastifyPluginAsyncZod<{ limits: PurchaseLimits; auth: AdminAuth }> = async (
  app,
  { limits, auth },
) => {
  app.addHook('onRequest', requireAdmin(auth));
  const security = adminRoute;

  app.get(
    '/concerts/:concertId/purchase-limit',
    {
      schema: {
        tags: ['box office'],
        operationId: 'adminGetPurchaseLimit',
        summary: "The concert's purchase limit: seats per person per performance",
        security,
        params: concertParams,
        response: { 200: purchaseLimitSchema, ...errorResponses(400, 401, 403, 404, 429, 503) },
      },
    },
    (request) => limits.get(request.params.concertId),
  );

  app.put(
    '/concerts/:concertId/purchase-limit',
    {
      schema: {
        tags: ['box office'],
        operationId: 'adminPutPurchaseLimit',
        summary: "Set the concert's purchase limit (null = the server default, 0 = no limit)",
        description:
          'Counted per performance across all confirmed reservations of one normalised phone, and of one email ' +
          'when given; a booking past it answers 409 PURCHASE_LIMIT {limit, alreadyBooked}. Bookings already ' +
          'made stay; the limit holds from the next booking on.',
        security,
        params: concertParams,
        body: purchaseLimitBodySchema,
        response: { 200: purchaseLimitSchema, ...errorResponses(...bodyErrors, 401, 403, 404, 429, 503) },
      },
    },
    (request) => limits.set(request.params.concertId, request.body.maxTicketsPerPerson),
  );
};
