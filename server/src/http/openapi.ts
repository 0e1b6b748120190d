import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { errorBodySchema } from '@seatmap/shared';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { buildAsyncApi } from './asyncapi.ts';

/*
 * Route schema convention (every route under /api and /health; tests/api/api-docs.test.ts enforces it):
 * - `operationId` (camelCase verb first: listConcerts, createHold) and a one-line `summary`;
 * - `security: publicRoute` or `security: adminRoute` (box office, bearer token);
 * - bodies and 2xx bodies are shared zod schemas named with `.meta({ id: 'Name' })` (a body `Name` shows up as the
 *   component `Name`; params, query strings and headers stay inline — they become parameters);
 * - every error status the route can answer, from `errorResponses(...)`: 400 when it has params, a query or a body;
 *   413 + 415 with a body; 429 for writes under /api and everything under /api/admin; 503 for everything under
 *   /api (load shedding, a database or Redis outage); 401 + 403 for admin routes; 404/409/422 as the service says.
 */

/** Security requirement of a public route: no credentials. */
export const publicRoute: Array<Record<string, string[]>> = [];
/** Security requirement of a box-office route: `Authorization: Bearer <ADMIN_TOKEN>`. */
export const adminRoute: Array<Record<string, string[]>> = [{ adminToken: [] }];

const retryAfter = {
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    schema: { type: 'integer', minimum: 1 },
  },
};

/** Every error status a route may answer, as a named response in components.responses. */
export const errorStatuses = {
  400: { name: 'BadRequest', description: 'The request is not valid (VALIDATION_FAILED, per-field issues in details)' },
  401: { name: 'Unauthorized', description: 'No box-office token (UNAUTHORIZED)' },
  403: { name: 'Forbidden', description: 'Wrong token, or the action is not allowed (FORBIDDEN, ADMISSION_*)' },
  404: { name: 'NotFound', description: 'No such resource (NOT_FOUND, *_NOT_FOUND)' },
  409: {
    name: 'Conflict',
    description: 'Seats taken meanwhile, a closed show or a limit (SEAT_UNAVAILABLE, PURCHASE_LIMIT, …)',
  },
  413: { name: 'PayloadTooLarge', description: 'The body is larger than 64 KiB (PAYLOAD_TOO_LARGE)' },
  415: { name: 'UnsupportedMediaType', description: 'The body is not application/json (UNSUPPORTED_MEDIA_TYPE)' },
  422: { name: 'UnprocessableEntity', description: 'The Idempotency-Key was used for another request' },
  429: { name: 'TooManyRequests', description: 'Rate limited (RATE_LIMITED); retry after Retry-After seconds' },
  503: { name: 'ServiceUnavailable', description: 'Overloaded or a backing store is down; retry after Retry-After' },
} as const;
export type ErrorStatus = keyof typeof errorStatuses;
const withRetryAfter = new Set<number>([429, 503]);

/**
 * The error part of a route's `response` schema: `response: { 200: holdSchema, ...errorResponses(400, 404, 503) }`.
 * Each becomes `$ref: #/components/responses/<Name>` (the SPEC error body; Retry-After on 429 and 503).
 */
export function errorResponses<S extends ErrorStatus>(...statuses: S[]): Record<S, typeof errorBodySchema> {
  return Object.fromEntries(statuses.map((status) => [status, errorBodySchema])) as Record<S, typeof errorBodySchema>;
}

/** The writes a route takes a body on answer these besides their own errors (Fastify's body parser). */
export const bodyErrors = [400, 413, 415] as const;

const successDescriptions: Record<string, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No content',
  304: 'Not modified (the ETag still holds)',
};

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

function refsIn(value: unknown, into: Set<string>) {
  if (Array.isArray(value)) for (const v of value) refsIn(v, into);
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === '$ref' && typeof v === 'string') into.add(v);
      else refsIn(v, into);
    }
  }
}

function renameRefs(value: unknown, from: string, to: string): unknown {
  if (Array.isArray(value)) return value.map((v) => renameRefs(v, from, to));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, key === '$ref' && v === from ? to : renameRefs(v, from, to)]),
  );
}

/**
 * Finishes the generated document: error responses become named responses (with Retry-After where it applies),
 * success responses get a description, components nobody references are dropped, and an input component
 * `FooInput` becomes `Foo` when no output schema takes that name.
 */
export function finishOpenApi(document: Json): Json {
  const doc = structuredClone(document) as Json & { paths: Record<string, Record<string, Json>>; components: Json };
  const schemas = (doc.components.schemas ?? {}) as Record<string, Json>;
  const errorRef = '#/components/schemas/ErrorBody';
  const responses: Record<string, Json> = {};
  for (const pathItem of Object.values(doc.paths)) {
    for (const method of METHODS) {
      const operation = pathItem[method] as (Json & { responses?: Record<string, Json> }) | undefined;
      if (!operation?.responses) continue;
      for (const [status, response] of Object.entries(operation.responses)) {
        const named = errorStatuses[Number(status) as ErrorStatus];
        const schema = (response.content as Record<string, { schema?: Json }> | undefined)?.['application/json']
          ?.schema;
        if (named && schema?.$ref === errorRef) {
          responses[named.name] = {
            description: named.description,
            ...(withRetryAfter.has(Number(status)) ? { headers: retryAfter } : {}),
            content: { 'application/json': { schema: { $ref: errorRef } } },
          };
          operation.responses[status] = { $ref: `#/components/responses/${named.name}` };
        } else {
          if (response.description === 'Default Response')
            response.description = successDescriptions[status] ?? (operation.summary as string | undefined) ?? status;
          // 204 and 304 have no body (their route schema says z.null() for the serializer).
          if (status === '204' || status === '304') delete response.content;
        }
      }
    }
  }
  doc.components.responses = { ...(doc.components.responses as Json | undefined), ...responses };

  // Keep the schemas reachable from the paths, following references transitively.
  const used = new Set<string>();
  const pending = new Set<string>();
  refsIn(doc.paths, pending);
  refsIn(doc.components.responses, pending);
  while (pending.size > 0) {
    const [ref] = pending;
    pending.delete(ref!);
    if (used.has(ref!)) continue;
    used.add(ref!);
    const name = ref!.replace('#/components/schemas/', '');
    if (schemas[name]) refsIn(schemas[name], pending);
  }
  let kept: Record<string, Json> = Object.fromEntries(
    Object.entries(schemas).filter(([name]) => used.has(`#/components/schemas/${name}`)),
  );
  let result: Json = { ...doc, components: { ...doc.components, schemas: kept } };
  for (const name of Object.keys(kept)) {
    const plain = name.replace(/Input$/, '');
    if (plain === name || kept[plain]) continue;
    result = renameRefs(result, `#/components/schemas/${name}`, `#/components/schemas/${plain}`) as Json;
    kept = (result.components as Json).schemas as Record<string, Json>;
    kept = Object.fromEntries(Object.entries(kept).map(([n, s]) => [n === name ? plain : n, s]));
    result = { ...result, components: { ...(result.components as Json), schemas: kept } };
  }
  return result;
}

/** /openapi.json, /docs and /asyncapi.json, generated from the routes' and the live events' zod schemas. */
export async function registerOpenApi(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Seatmap — real-time concert seat booking',
        description:
          'Browse, hold, reserve, look up and cancel seats. Live events (Socket.IO and ' +
          '/api/schedules/{scheduleId}/live) are described by the AsyncAPI document at /asyncapi.json.',
        version: '0.1.0',
      },
      servers: [{ url: '/', description: 'this server' }],
      tags: [
        { name: 'browse', description: 'Concerts, performances, seat maps, layouts and status' },
        { name: 'holds', description: 'Holding seats before booking' },
        { name: 'reservations', description: 'Booking, looking up and cancelling' },
        { name: 'waiting room', description: 'The queue in front of a busy on-sale (SPEC §10)' },
        { name: 'box office', description: 'Staff routes behind the admin token' },
        { name: 'operations', description: 'Health checks for load balancers' },
      ],
      components: {
        securitySchemes: { adminToken: { type: 'http', scheme: 'bearer' } },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: (document) => finishOpenApi(jsonSchemaTransformObject(document) as Json),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
  let asyncApi: Json | undefined;
  app.get('/asyncapi.json', { schema: { hide: true } }, () => {
    asyncApi ??= buildAsyncApi();
    return asyncApi;
  });
}
