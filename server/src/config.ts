import { z } from 'zod';

const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.url().optional());
const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    /** Postgres URL; when absent the embedded PGlite database under DATA_DIR is used. */
    DATABASE_URL: optionalUrl,
    /** Postgres connections per node; bookings queue for a connection for at most 2 s before answering 503. */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
    /** Redis URL; when absent holds and events stay in this process (single node only). */
    REDIS_URL: optionalUrl,
    DATA_DIR: z.string().min(1).default('.data'),
    HOLD_TTL_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
    MAX_SEATS_PER_HOLD: z.coerce.number().int().min(1).max(100).default(4),
    CANCEL_CUTOFF_MINUTES: z.coerce
      .number()
      .int()
      .min(0)
      .max(60 * 24 * 30)
      .default(60),
    ORPHAN_RULE: z.enum(['on', 'off']).default('on'),
    ADMIN_TOKEN: optionalString.pipe(z.string().min(16, 'ADMIN_TOKEN must be at least 16 characters').optional()),
    REDIS_KEY_PREFIX: z.string().max(64).default('seatmap:'),
    /**
     * Behind a reverse proxy (nginx, a cloud load balancer): trust X-Forwarded-For so rate limits and logs see the
     * customer's address, not the proxy's. `true`, `false`, or comma-separated proxy addresses/CIDRs.
     */
    TRUST_PROXY: z.string().default('false'),
    /** Comma-separated list of allowed browser origins; `*` allows any. */
    CORS_ORIGINS: z.string().default('*'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Coalescing window for `seats:changed` broadcasts. */
    BROADCAST_WINDOW_MS: z.coerce.number().int().min(0).max(1000).default(40),
    /** Load demo data when the database has no concerts. */
    SEED_DEMO: z.stringbool().default(true),
    /**
     * On SIGTERM the node first reports not-ready (so load balancers stop sending) and keeps serving for this long,
     * then stops accepting connections and waits for in-flight requests before closing the stores.
     */
    SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
    /** Requests per minute per client IP on write routes (holds, reservations, lookup). 0 disables. */
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
    /** How often every node takes a waiting-room admission step (SPEC §10). */
    QUEUE_ADMIT_INTERVAL_MS: z.coerce.number().int().min(10).max(10_000).default(250),
    /** How soon a waiting-room setting changed on one node is in force on the others. */
    QUEUE_CONFIG_REFRESH_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  })
  // A production box office is never left open or disabled by accident: no token, no start.
  .refine((c) => c.NODE_ENV !== 'production' || c.ADMIN_TOKEN !== undefined, {
    message: 'ADMIN_TOKEN is required when NODE_ENV=production (at least 16 characters)',
    path: ['ADMIN_TOKEN'],
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Parses the environment once. Nothing else reads process.env. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** Config for tests and tools: defaults plus overrides, no environment. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...configSchema.parse({}), LOG_LEVEL: 'silent', SEED_DEMO: false, ...overrides };
}

/** TRUST_PROXY in the form Fastify's `trustProxy` option takes. */
export function trustProxy(config: Pick<Config, 'TRUST_PROXY'>): boolean | string {
  const value = config.TRUST_PROXY.trim();
  if (value === 'true' || value === 'false') return value === 'true';
  return value; // addresses/CIDRs, comma-separated, as Fastify takes them
}

export function corsOrigins(config: Config): string[] | '*' {
  const list = config.CORS_ORIGINS.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return list.includes('*') ? '*' : list;
}
