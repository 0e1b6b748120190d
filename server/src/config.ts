import { isIP } from 'node:net';
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
    /**
     * Worker processes of `npm start` on one port (node:cluster), each a full node sharing Postgres and Redis;
     * also `npm start -- --workers N`. Needs DATABASE_URL and REDIS_URL when above 1.
     */
    WORKERS: z.coerce.number().int().min(1).max(64).default(1),
    /** Postgres connections per node; bookings queue for a connection for at most 2 s before answering 503. */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
    /** Redis URL; when absent holds and events stay in this process (single node only). */
    REDIS_URL: optionalUrl,
    /**
     * A Redis Cluster instead of one Redis (SPEC §14): `host:port,host:port,…`, some or all of its masters (the rest
     * are discovered). Every Redis use runs on it; one performance's keys share one slot. Exclusive with REDIS_URL.
     */
    REDIS_CLUSTER_NODES: optionalString.pipe(
      z
        .string()
        .refine((v) => v.split(',').every((entry) => /^(\[[0-9a-fA-F:.]+\]|[^\s:,[\]]+):\d{1,5}$/.test(entry.trim())), {
          message: 'REDIS_CLUSTER_NODES takes comma-separated host:port entries, e.g. 10.0.0.1:7000,10.0.0.2:7000',
        })
        .optional(),
    ),
    DATA_DIR: z.string().min(1).default('.data'),
    HOLD_TTL_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
    MAX_SEATS_PER_HOLD: z.coerce.number().int().min(1).max(100).default(4),
    /**
     * Seats one person (normalised phone; email too when given) may book per performance across all confirmed
     * reservations (SPEC §11); the box office may set another per concert. 0 = no limit.
     */
    MAX_TICKETS_PER_PERSON: z.coerce.number().int().min(0).max(1000).default(4),
    /** Seats one client address (or one admission) may hold at once per performance, all nodes together. 0 = off. */
    MAX_HELD_SEATS_PER_CLIENT: z.coerce.number().int().min(0).max(100_000).default(8),
    CANCEL_CUTOFF_MINUTES: z.coerce
      .number()
      .int()
      .min(0)
      .max(60 * 24 * 30)
      .default(60),
    ORPHAN_RULE: z.enum(['on', 'off']).default('on'),
    /**
     * SPEC §12: plain best available leaves wheelchair spaces and companion seats to `accessible` requests until
     * this many minutes before the start; unset = until the end.
     */
    ACCESSIBLE_RELEASE_MINUTES: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.coerce
        .number()
        .int()
        .min(0)
        .max(60 * 24 * 365)
        .optional(),
    ),
    ADMIN_TOKEN: optionalString.pipe(z.string().min(16, 'ADMIN_TOKEN must be at least 16 characters').optional()),
    /** No braces: keys carry their performance's `{scheduleId}` hash tag after it (decision 0014). */
    REDIS_KEY_PREFIX: z
      .string()
      .max(64)
      .regex(/^[^{}]*$/, 'REDIS_KEY_PREFIX must not contain { or } (keys carry their own Redis Cluster hash tag)')
      .default('seatmap:'),
    /**
     * Behind a reverse proxy (nginx, a cloud load balancer): whom to believe about the customer's address in
     * X-Forwarded-For. A hop count (`1` = the one proxy in front) or the proxies' addresses/CIDRs, comma-separated;
     * `false` trusts nobody. `true` (trust everything) is refused: any client could then pose as any address.
     */
    TRUST_PROXY: z
      .string()
      .trim()
      .default('false')
      .refine((v) => v !== 'true', {
        message:
          'TRUST_PROXY=true would believe any X-Forwarded-For, so any client could pose as any address and dodge every ' +
          'per-client limit: set the number of proxies in front (e.g. 1) or their addresses/CIDRs (e.g. 10.0.0.5)',
      })
      .refine((v) => v === 'false' || /^\d+$/.test(v) || v.split(',').every((a) => isProxyAddress(a.trim())), {
        message: 'TRUST_PROXY takes false, a hop count, or comma-separated proxy addresses/CIDRs',
      }),
    /**
     * Comma-separated browser origins allowed to call the API and open live connections from another site; `*`
     * allows any. Unset: same origin only in production, any origin otherwise (the Vite dev server).
     */
    CORS_ORIGINS: optionalString,
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Live connections (Socket.IO + plain feed) per client address per node; the next is refused (429). */
    MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(1).default(50),
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
    /** New live connections (Socket.IO handshakes, plain feeds) per client address per minute, all nodes. 0 disables. */
    LIVE_CONNECTS_PER_MINUTE: z.coerce.number().int().min(0).default(120),
    /** Load shedding: API requests get 503 + Retry-After while the event loop lags more than this (ms). 0 disables. */
    SHED_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).default(1000),
    /** Load shedding: … or while the heap holds more than this (MB). 0 = 90 % of the heap limit. */
    SHED_HEAP_USED_MB: z.coerce.number().int().min(0).default(0),
  })
  // A cap below one hold's size would refuse a lone customer's first hold, forever.
  .refine((c) => c.MAX_HELD_SEATS_PER_CLIENT === 0 || c.MAX_HELD_SEATS_PER_CLIENT >= c.MAX_SEATS_PER_HOLD, {
    message: 'MAX_HELD_SEATS_PER_CLIENT must be 0 (off) or at least MAX_SEATS_PER_HOLD',
    path: ['MAX_HELD_SEATS_PER_CLIENT'],
  })
  .refine((c) => !(c.REDIS_URL && c.REDIS_CLUSTER_NODES), {
    message: 'set REDIS_URL (one Redis) or REDIS_CLUSTER_NODES (a Redis Cluster), not both',
    path: ['REDIS_CLUSTER_NODES'],
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

/**
 * Config for tests and tools: defaults plus overrides, no environment. Some limits are off unless a test turns them
 * on: load shedding by event-loop delay (a busy CI machine lags for reasons of its own, and a test must not fail by
 * timing), the live-connection rate and the held-seat cap (every test client comes from 127.0.0.1), and the
 * purchase limit (fixtures book as one customer).
 */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...configSchema.parse({}),
    LOG_LEVEL: 'silent',
    SEED_DEMO: false,
    SHED_EVENT_LOOP_DELAY_MS: 0,
    LIVE_CONNECTS_PER_MINUTE: 0,
    MAX_HELD_SEATS_PER_CLIENT: 0,
    MAX_TICKETS_PER_PERSON: 0,
    ...overrides,
  };
}

function isProxyAddress(value: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(value)) return true;
  const [address, bits, ...rest] = value.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

/** Which Redis the config names: one, a cluster, or none (embedded mode: holds and events in this process). */
export function redisMode(config: Pick<Config, 'REDIS_URL' | 'REDIS_CLUSTER_NODES'>): 'single' | 'cluster' | 'none' {
  if (config.REDIS_CLUSTER_NODES) return 'cluster';
  return config.REDIS_URL ? 'single' : 'none';
}

/** Browser origins allowed from other sites: a list (empty = same origin only) or '*' for any. */
export function corsOrigins(config: Pick<Config, 'CORS_ORIGINS' | 'NODE_ENV'>): string[] | '*' {
  if (config.CORS_ORIGINS === undefined) return config.NODE_ENV === 'production' ? [] : '*';
  const list = config.CORS_ORIGINS.split(',')
    .map((s) => s.trim().replace(/\/$/, ''))
    .filter(Boolean);
  return list.includes('*') ? '*' : list;
}
