import type { DestinationStream } from 'pino';
import type { Config } from '../config.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A built asset or poster file name (`index-BJ0hPIzm.js`, `iu-2024.svg`). */
const FILE = /^[\w.-]+\.(js|css|map|svg|png|jpe?g|webp|ico|json|txt|woff2?)$/i;
/** Route words are lower-case; reservation numbers are upper-case and hold ids mix cases and digits. */
const WORD = /^[a-z_-]*$/;

/** One segment of an unrouted path: UUIDs (ids anyone may see), lower-case words and file names; else redacted. */
function segment(value: string): string {
  return UUID.test(value) || WORD.test(value) || (FILE.test(value) && !value.includes('@')) ? value : ':redacted';
}

/**
 * A request URL as it may be logged: the query string dropped, and every path segment that could be a bearer
 * token or personal data replaced — hold ids, reservation numbers, queue tickets. On a matched route every
 * parameter that is not a UUID is replaced by its name (`/api/holds/:holdId`), so a route added later is covered
 * without being listed here; an unrouted path keeps only UUIDs, lower-case words and file names.
 */
export function redactUrl(url: string, route?: string): string {
  const q = url.indexOf('?');
  const query = q === -1 ? '' : '?:redacted';
  let parts: string[];
  try {
    parts = (q === -1 ? url : url.slice(0, q)).split('/').map((s) => decodeURIComponent(s));
  } catch {
    return `/:redacted${query}`;
  }
  const pattern = route?.split('/');
  return (
    parts
      .map((value, i) => {
        const name = pattern?.[i];
        if (name?.startsWith(':')) return UUID.test(value) ? value : name;
        if (name !== undefined && name !== '*' && !name.includes('*')) return value;
        return segment(value);
      })
      .join('/') + query
  );
}

/**
 * Fields that never reach the log in clear, wherever a log call puts them at the top level: contacts, hold ids and
 * reservation numbers (bearer tokens and personal data, SPEC §11), tokens, and the values a Postgres error quotes
 * in `detail`. Explicit paths only: pino's leading-wildcard paths (`*.phone`) cost every request's child logger
 * about 0.2 ms, so nested objects are named (`customer`, `err.*`).
 */
export const redactedPaths = [
  'holdId',
  'holdIds',
  'reservationNumber',
  'phone',
  'email',
  'customer',
  'customerPhone',
  'customerEmail',
  'token',
  'ticket',
  'admissionToken',
  'err.detail',
  'err.parameters',
  'err.cause.detail',
  'req.headers.authorization',
  'req.headers["x-admission-token"]',
  'req.headers["x-presale-code"]',
];

interface LoggedRequest {
  method: string;
  url: string;
  ip?: string;
  routeOptions?: { url?: string };
  socket?: { remotePort?: number };
}

/** Fastify's logger options: pino with redaction, and requests logged with their URL redacted. */
export function loggerOptions(config: Pick<Config, 'LOG_LEVEL'>, stream?: DestinationStream) {
  return {
    level: config.LOG_LEVEL,
    ...(stream ? { stream } : {}),
    redact: { paths: redactedPaths, censor: '[redacted]' },
    serializers: {
      req: (request: LoggedRequest) => ({
        method: request.method,
        url: redactUrl(request.url, request.routeOptions?.url),
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
  };
}
