import type { ErrorBody, ErrorCode } from '@seatmap/shared';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../db/errors.ts';
import { AppError, ServiceUnavailableError } from '../errors.ts';
import { isRedisUnavailable } from '../holds/redis-errors.ts';
import { wantsClientPage } from './static.ts';

export function sendError(
  reply: FastifyReply,
  status: number,
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
) {
  const body: ErrorBody = { error: { code, message, ...(details ? { details } : {}) } };
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}

/** Fastify's own 4xx errors, by code, mapped to the SPEC codes. */
const fastifyCodes: Record<string, [number, ErrorCode]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'PAYLOAD_TOO_LARGE'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'VALIDATION_FAILED'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'VALIDATION_FAILED'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'VALIDATION_FAILED'],
};

/** Whether an error means a backing service is down (answered 503, never 500). */
export function isUnavailable(err: unknown): boolean {
  return err instanceof ServiceUnavailableError || isDatabaseUnavailable(err) || isRedisUnavailable(err);
}

/**
 * One error model: AppError → its status and code; schema failures → 400 VALIDATION_FAILED with per-field
 * issues; Fastify's parser errors → their 4xx; an unreachable database or Redis → 503; everything else → a
 * logged, generic 500.
 */
export function registerErrorHandler(app: FastifyInstance, options: { clientPages: boolean }) {
  app.setNotFoundHandler((request, reply) => {
    if (options.clientPages && wantsClientPage(request.method, request.url, request.headers.accept)) {
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    return sendError(reply, 404, 'NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}`);
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
      if (err.statusCode === 429 && err.details?.retryAfterSeconds) {
        reply.header('Retry-After', String(err.details.retryAfterSeconds));
      }
      return sendError(reply, err.statusCode, err.code, err.message, err.details);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({
        path: [err.validationContext ?? 'body', ...v.instancePath.split('/').filter(Boolean)].join('.'),
        message: v.message ?? 'invalid',
      }));
      return sendError(reply, 400, 'VALIDATION_FAILED', 'The request is not valid', { issues });
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err }, 'response did not match its schema');
      return sendError(reply, 500, 'INTERNAL_ERROR', 'Internal server error');
    }
    // Backstop: text Postgres cannot store (NUL, bad encoding) or that overflows a column is bad input, not a 500.
    if (err.code && ['22021', '22P05', '22001'].includes(err.code)) {
      return sendError(reply, 400, 'VALIDATION_FAILED', 'The request contains text that cannot be stored');
    }
    const mapped = err.code ? fastifyCodes[err.code] : undefined;
    if (mapped) return sendError(reply, mapped[0], mapped[1], err.message);
    if (isUnavailable(err)) {
      request.log.warn({ err: { message: err.message, name: err.name } }, 'backing service unavailable');
      reply.header('Retry-After', '2');
      return sendError(reply, 503, 'SERVICE_UNAVAILABLE', 'The service is temporarily unavailable; try again shortly');
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      const code: ErrorCode = err.statusCode === 404 ? 'NOT_FOUND' : 'VALIDATION_FAILED';
      return sendError(reply, err.statusCode === 404 ? 404 : 400, code, err.message);
    }
    request.log.error({ err }, 'unhandled error');
    return sendError(reply, 500, 'INTERNAL_ERROR', 'Internal server error');
  });
}
