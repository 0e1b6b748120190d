import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import { type Config, corsOrigins } from '../config.ts';

/**
 * The web app's policy. The Vite build has no inline script or style (one module script, one stylesheet; styles
 * set from code go through CSSOM, which CSP allows), so nothing here is `unsafe-inline`. Posters may be any https
 * image the box office names; the favicon is a data: URL; live connections are same-origin (CSP3 `'self'`
 * covers ws:/wss: of the same host).
 */
export const appCsp = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'https:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/**
 * /docs (Swagger UI) sets styles through React's style attributes and loads its own images as data: URLs, so it
 * gets a policy of its own with inline styles allowed — still no inline or foreign script, still unframeable.
 */
export const docsCsp = { ...appCsp, 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] };

const serialize = (directives: Record<string, string[]>) =>
  Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
const docsCspHeader = serialize(docsCsp);

const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Security headers on every response (helmet: CSP, frame-ancestors/X-Frame-Options DENY, nosniff, no referrer),
 * HSTS only when the request came over TLS — as a trusted proxy says (X-Forwarded-Proto is believed only from
 * TRUST_PROXY hops) — and CORS after CORS_ORIGINS, preflights answered. Register before the routes.
 */
export async function registerSecurity(app: FastifyInstance, config: Config) {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: appCsp },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Sent per request below: a plain-HTTP deployment must not be told to switch to HTTPS.
    strictTransportSecurity: false,
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
    if (/^\/docs(\/|\?|$)/.test(request.url)) {
      reply.header('content-security-policy', docsCspHeader);
    }
  });

  const origins = corsOrigins(config);
  await app.register(cors, {
    // `false` would leave preflights unanswered (404); an empty list answers them without allowing anyone.
    origin: origins === '*' ? '*' : origins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Content-Type', 'Authorization', 'Idempotency-Key', 'X-Admission-Token', 'X-Presale-Code'],
    exposedHeaders: ['Retry-After', 'ETag'],
    maxAge: 600,
    strictPreflight: false,
  });
}
