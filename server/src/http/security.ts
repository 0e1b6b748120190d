import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
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

/** Helmet's options for every response; HSTS is sent per request below. */
const helmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: appCsp },
  frameguard: { action: 'deny' as const },
  referrerPolicy: { policy: 'no-referrer' as const },
  // Sent per request below: a plain-HTTP deployment must not be told to switch to HTTPS.
  strictTransportSecurity: false,
};

/**
 * The headers helmet sets with `helmetOptions`, worked out once: they never depend on the request, and running
 * helmet's middleware chain on every response (two hooks, a dozen header writes) cost ~2.5 % of a hold's CPU.
 */
async function helmetHeaders(): Promise<Record<string, string>> {
  const probe = Fastify();
  await probe.register(helmet, helmetOptions);
  probe.get('/', async () => '');
  const res = await probe.inject('/');
  await probe.close();
  const plain = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive']);
  return Object.fromEntries(
    Object.entries(res.headers)
      .filter(([name, value]) => !plain.has(name) && typeof value === 'string')
      .map(([name, value]) => [name, value as string]),
  );
}

/**
 * Security headers on every response (helmet's: CSP, frame-ancestors/X-Frame-Options DENY, nosniff, no referrer),
 * HSTS only when the request came over TLS — as a trusted proxy says (X-Forwarded-Proto is believed only from
 * TRUST_PROXY hops) — and CORS after CORS_ORIGINS, preflights answered. Register before the routes.
 */
export async function registerSecurity(app: FastifyInstance, config: Config) {
  const headers = await helmetHeaders();
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(headers);
    if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
    if (request.url.startsWith('/docs') && /^\/docs(\/|\?|$)/.test(request.url)) {
      reply.header('content-security-policy', docsCspHeader);
    }
    done();
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
