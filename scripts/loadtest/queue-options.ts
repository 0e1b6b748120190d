import { parseArgs } from 'node:util';
import { uuid } from '@seatmap/shared';
import { z } from 'zod';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const localUrl = z
  .url()
  .transform((raw) => new URL(raw))
  .refine((url) => url.protocol === 'http:' || url.protocol === 'https:', 'http(s) URL expected')
  .refine((url) => LOCAL_HOSTS.has(url.hostname), 'only 127.0.0.1 / localhost targets are allowed')
  .transform((url) => url.origin);

export const queueLoadtestSchema = z.object({
  urls: z.array(localUrl).min(1).max(32),
  concertId: uuid.optional(),
  adminToken: z.string().min(16),
  arrivals: z.number().int().min(1).max(200_000).default(1000),
  /** Share of arrivals that come before opensAt (the pre-queue). */
  preShare: z.number().min(0).max(1).default(0.4),
  /** Seconds from the start until opensAt; pre-queue arrivals spread over this span. */
  openInSeconds: z.number().min(0.5).max(600).default(3),
  /**
   * Open the queue only once every pre-queue join is answered (opensAt is set then, at least OPEN_NOTICE_MS ahead so
   * every node has read it), instead of at a fixed instant: a busy machine then delays the opening, never shrinks
   * the pre-queue. Later arrivals keep their offsets from the opening. Tests use it; the CLI opens on time.
   */
  openAfterPreQueue: z.boolean().default(false),
  /** Seconds after opensAt over which the later arrivals come. */
  arrivalSeconds: z.number().min(0).max(600).default(5),
  admitPerMinute: z.number().int().min(1).max(100_000).default(6000),
  maxActive: z.number().int().min(1).max(1_000_000).default(200),
  sessionMinutes: z.number().int().min(1).max(120).default(1),
  /** How long an admitted buyer keeps the admission before giving it up (mean; uniform 0.5×–1.5×). */
  holdMs: z.number().int().min(0).max(600_000).default(1000),
  /** Share of waiting clients that reload (POST with the ticket) once, and that leave (DELETE). */
  reloadRate: z.number().min(0).max(1).default(0.2),
  leaveRate: z.number().min(0).max(1).default(0.05),
  /** Most HTTP requests in flight at once (the simulator's own connection budget). */
  concurrency: z.number().int().min(1).max(5000).default(200),
  /** For the memory figure: the nodes' Redis and key prefix (MEMORY USAGE of the queue's keys). */
  redisUrl: z.string().min(1).optional(),
  redisPrefix: z.string().default('seatmap:'),
  timeoutSeconds: z.number().min(1).max(3600).default(300),
  json: z.string().min(1).optional(),
});

export type QueueLoadtestInput = z.input<typeof queueLoadtestSchema>;
export type QueueLoadtestOptions = z.output<typeof queueLoadtestSchema>;

export const QUEUE_HELP = `Waiting-room simulator (SPEC §10): arrivals before and after opensAt, reloads and leavers, over several nodes.

usage: npm run loadtest -- --queue --url http://127.0.0.1:3000 --admin-token <token> [options]

  --url <url>              node base URL; repeat or comma-separate (127.0.0.1/localhost only)
  --admin-token <t>        the nodes' ADMIN_TOKEN (default $ADMIN_TOKEN): the run sets up the concert's queue
  --concert <uuid>         concert to queue for (default: a fresh one per run; a queue opens only once)
  --arrivals <n>           customers in total (default 1000)
  --pre-share <0..1>       share arriving before opensAt (default 0.4)
  --open-in <s>            opensAt this many seconds after the start (default 3)
  --arrival-seconds <s>    later arrivals spread over this long after opensAt (default 5)
  --admit-per-minute <n>   queue setting (default 6000)
  --max-active <n>         queue setting (default 200)
  --session-minutes <n>    queue setting (default 1)
  --hold-ms <ms>           mean time an admitted customer keeps the admission, then gives it up (default 1000)
  --reload-rate <0..1>     share of waiting customers who reload once (default 0.2)
  --leave-rate <0..1>      share who leave the line (default 0.05)
  --concurrency <n>        HTTP requests in flight at most (default 200)
  --redis-url <url>        the nodes' Redis, to report memory per waiting ticket (optional)
  --redis-prefix <p>       the nodes' REDIS_KEY_PREFIX (default seatmap:)
  --timeout <s>            hard bound on the run (default 300)
  --json <path>            also write the result as JSON

Run the nodes with RATE_LIMIT_PER_MINUTE=0 (all simulated customers come from 127.0.0.1).
Exit code: 0 every §13 check holds, 1 a check failed, 2 bad usage or the run could not start.`;

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

export function parseQueueCli(argv: string[], env: Record<string, string | undefined>) {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--queue'),
    allowPositionals: false,
    options: {
      url: { type: 'string', multiple: true },
      'admin-token': { type: 'string' },
      concert: { type: 'string' },
      arrivals: { type: 'string' },
      'pre-share': { type: 'string' },
      'open-in': { type: 'string' },
      'arrival-seconds': { type: 'string' },
      'admit-per-minute': { type: 'string' },
      'max-active': { type: 'string' },
      'session-minutes': { type: 'string' },
      'hold-ms': { type: 'string' },
      'reload-rate': { type: 'string' },
      'leave-rate': { type: 'string' },
      concurrency: { type: 'string' },
      'redis-url': { type: 'string' },
      'redis-prefix': { type: 'string' },
      timeout: { type: 'string' },
      json: { type: 'string' },
      'no-progress': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return { help: true as const };
  const urls = (values.url ?? [env.LOADTEST_URL ?? 'http://127.0.0.1:3000'])
    .flatMap((u) => u.split(','))
    .map((u) => u.trim())
    .filter(Boolean);
  const parsed = queueLoadtestSchema.safeParse({
    urls,
    concertId: values.concert,
    adminToken: values['admin-token'] ?? env.ADMIN_TOKEN,
    arrivals: num(values.arrivals),
    preShare: num(values['pre-share']),
    openInSeconds: num(values['open-in']),
    arrivalSeconds: num(values['arrival-seconds']),
    admitPerMinute: num(values['admit-per-minute']),
    maxActive: num(values['max-active']),
    sessionMinutes: num(values['session-minutes']),
    holdMs: num(values['hold-ms']),
    reloadRate: num(values['reload-rate']),
    leaveRate: num(values['leave-rate']),
    concurrency: num(values.concurrency),
    redisUrl: values['redis-url'],
    redisPrefix: values['redis-prefix'],
    timeoutSeconds: num(values.timeout),
    json: values.json,
  });
  if (!parsed.success) throw new Error(z.prettifyError(parsed.error));
  return { help: false as const, options: parsed.data, progress: !values['no-progress'] };
}
