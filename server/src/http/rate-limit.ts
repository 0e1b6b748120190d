import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import rateLimit from '@fastify/rate-limit';
import type { ErrorBody } from '@seatmap/shared';
import type { FastifyInstance } from 'fastify';
import type { Server } from 'socket.io';
import { bearerToken, createAdminAuth } from '../admin/auth.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { clientAddress, clientKey, proxyTrust } from '../limits/client-address.ts';
import type { RateWindow, WindowAnswer, WindowLimit } from '../limits/rate-window.ts';

/** Failed box-office sign-ins (HTTP and /boxoffice) per client address before it is refused for a while. */
export const ADMIN_FAILURE_LIMIT: WindowLimit = { max: 10, windowMs: 15 * 60_000 };

export function rateLimited(retryAfterMs: number, what: string): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AppError(429, 'RATE_LIMITED', `${what}; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
}

/**
 * Whether a request reached a box-office route: judged by the route it matched, not the raw URL, so spellings the
 * router accepts (`/api/%61dmin/…`, `/api/./admin/…`) are counted like the plain one.
 */
const isAdmin = (route: string | undefined) => route?.startsWith('/api/admin/') === true;

/**
 * Per-client limits on the HTTP side, counted in Redis (shared by every node) or in this process when embedded:
 * - writes under /api: RATE_LIMIT_PER_MINUTE per client address (@fastify/rate-limit with its Redis store);
 * - box-office auth failures: after ADMIN_FAILURE_LIMIT.max in 15 minutes the address gets 429 on /api/admin;
 * - plain WebSocket feeds: LIVE_CONNECTS_PER_MINUTE new connections per address (with Socket.IO handshakes).
 * Addresses are `request.ip` (TRUST_PROXY-aware), IPv6 by /64. Register before the routes.
 */
export async function registerRateLimits(app: FastifyInstance, context: AppContext) {
  const { config } = context;
  if (config.RATE_LIMIT_PER_MINUTE > 0) {
    await app.register(rateLimit, {
      max: config.RATE_LIMIT_PER_MINUTE,
      timeWindow: 60_000,
      ...(context.redis ? { redis: context.redis, nameSpace: `${config.REDIS_KEY_PREFIX}rate-limit:` } : {}),
      keyGenerator: (request) => clientKey(request.ip),
      // Browsing and the live map are cheap reads; writes (holds, bookings, lookups) are what gets abused.
      allowList: (request) =>
        request.method === 'GET' ||
        request.method === 'HEAD' ||
        request.method === 'OPTIONS' ||
        !request.url.startsWith('/api/'),
      errorResponseBuilder: (_request, limit) => rateLimited(limit.ttl, 'Too many requests'),
    });
  }

  const adminFailures = context.windows('admin-auth', ADMIN_FAILURE_LIMIT);
  const auth = createAdminAuth(config.ADMIN_TOKEN);
  app.addHook('onRequest', async (request) => {
    if (!isAdmin(request.routeOptions.url)) return;
    const answer = await adminAttempt(
      adminFailures,
      clientKey(request.ip),
      auth.check(bearerToken(request.headers.authorization)).ok,
    );
    if (!answer.ok) throw rateLimited(answer.retryAfterMs, 'Too many failed box-office sign-ins');
  });

  if (config.LIVE_CONNECTS_PER_MINUTE > 0) {
    const connects = liveConnectWindow(context);
    app.addHook('onRequest', async (request) => {
      if (request.headers.upgrade === undefined || !request.url.startsWith('/api/')) return;
      const answer = await connects.take(clientKey(request.ip));
      if (!answer.ok) throw rateLimited(answer.retryAfterMs, 'Too many new live connections');
    });
  }
}

/**
 * A box-office sign-in against the failure count: a wrong (or missing) token takes its slot before it is answered, so
 * concurrent guesses cannot all be checked before the first is counted; the right token only looks, so a dashboard's
 * concurrent requests never trip the limit themselves.
 */
function adminAttempt(failures: RateWindow, key: string, tokenOk: boolean): Promise<WindowAnswer> {
  return tokenOk ? failures.peek(key) : failures.take(key);
}

const liveConnectWindow = (context: AppContext) =>
  context.windows('live-connect', { max: context.config.LIVE_CONNECTS_PER_MINUTE, windowMs: 60_000 });

type EngineMiddleware = (
  req: IncomingMessage & { _query?: Record<string, string> },
  res: ServerResponse,
  next: (err?: Error) => void,
) => void;

/**
 * The same limits on Socket.IO: new handshakes (engine.io requests without a session id, polling or WebSocket)
 * count against LIVE_CONNECTS_PER_MINUTE per address — refused with HTTP 429 + Retry-After, which the client
 * sees as `connect_error` — and the `/boxoffice` namespace counts and refuses failed tokens like /api/admin.
 * Call after the live gateway exists and before the box office registers its namespace.
 */
export function limitSocketIo(io: Server, context: AppContext) {
  const trust = proxyTrust(context.config);
  const keyOf = (req: IncomingMessage) => clientKey(clientAddress(req, trust));

  if (context.config.LIVE_CONNECTS_PER_MINUTE > 0) {
    const connects = liveConnectWindow(context);
    const handshakeLimit: EngineMiddleware = (req, res, next) => {
      if (req._query?.sid) return next();
      connects.take(keyOf(req)).then(
        (answer) =>
          answer.ok ? next() : refuse(req, res, 429, rateLimited(answer.retryAfterMs, 'Too many new live connections')),
        () => refuse(req, res, 503, new AppError(503, 'SERVICE_UNAVAILABLE', 'Live connections are unavailable')),
      );
    };
    io.engine.use(handshakeLimit);
  }

  const adminFailures = context.windows('admin-auth', ADMIN_FAILURE_LIMIT);
  const auth = createAdminAuth(context.config.ADMIN_TOKEN);
  io.of('/boxoffice').use((socket, next) => {
    const key = keyOf(socket.request);
    // The namespace's own check refuses a wrong token next; this counts it (and refuses a locked-out address).
    const tokenOk = auth.check((socket.handshake.auth as { token?: unknown } | undefined)?.token).ok;
    adminAttempt(adminFailures, key, tokenOk).then(
      (answer) => {
        if (!answer.ok)
          return next(handshakeError(rateLimited(answer.retryAfterMs, 'Too many failed box-office sign-ins')));
        next();
      },
      () => next(handshakeError(new AppError(503, 'SERVICE_UNAVAILABLE', 'The box office is unavailable'))),
    );
  });
}

function handshakeError(err: AppError): Error & { data: ErrorBody['error'] } {
  return Object.assign(new Error(err.code), {
    data: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
  });
}

/**
 * Answers a refused engine.io request in the SPEC error shape: on a polling request through its response, on a
 * WebSocket upgrade (whose response object is a stand-in) by writing to the socket. The middleware chain is left
 * unfinished on purpose, so engine.io never answers the request itself.
 */
function refuse(req: IncomingMessage, res: ServerResponse, status: 429 | 503, err: AppError) {
  const body = JSON.stringify({ error: { code: err.code, message: err.message, details: err.details } });
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'retry-after': String(err.details?.retryAfterSeconds ?? 2),
    connection: 'close',
  };
  if (req.headers.upgrade === undefined) {
    res.writeHead(status, headers).end(body);
    return;
  }
  const socket = (res as unknown as { socket: Duplex }).socket;
  const reason = status === 429 ? 'Too Many Requests' : 'Service Unavailable';
  const head = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  // As engine.io's own refusals do: write and close at once (a half-closed socket would hold up server.close()).
  if (socket.writable) socket.write(`HTTP/1.1 ${status} ${reason}\r\n${head}\r\n${body}`);
  socket.destroy();
}
