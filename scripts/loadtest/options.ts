import { parseArgs } from 'node:util';
import { uuid } from '@seatmap/shared';
import { z } from 'zod';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Base URLs of the nodes under test; loopback only, so the simulator never floods someone else's server. */
const localUrl = z
  .url()
  .transform((raw) => new URL(raw))
  .refine((url) => url.protocol === 'http:' || url.protocol === 'https:', 'http(s) URL expected')
  .refine((url) => LOCAL_HOSTS.has(url.hostname), 'only 127.0.0.1 / localhost targets are allowed')
  .transform((url) => url.origin);

export const loadtestOptionsSchema = z
  .object({
    urls: z.array(localUrl).min(1).max(32),
    scheduleId: uuid.optional(),
    /** Buyers running at the same time. */
    buyers: z.number().int().min(1).max(20_000).default(100),
    watchers: z.number().int().min(0).max(5_000).default(10),
    watcherKind: z.enum(['socketio', 'ws']).default('socketio'),
    seatsPerBuyer: z.number().int().min(1).max(10).default(2),
    mode: z.enum(['manual', 'best']).default('manual'),
    /** Mean think time between the hold and the booking (uniform in 0.5×–1.5×). */
    thinkMs: z.number().int().min(0).max(600_000).default(200),
    abandonRate: z.number().min(0).max(1).default(0.1),
    /** How abandoning buyers leave: DELETE their hold, let it expire, or half and half. */
    abandonMode: z.enum(['delete', 'expire', 'mixed']).default('delete'),
    /** Purchase attempts in total; defaults to one per buyer unless a duration is given. */
    count: z.number().int().min(1).max(200_000).optional(),
    durationSeconds: z.number().min(1).max(3_600).optional(),
    /** Hold attempts per purchase (the first plus retries after a 409). */
    maxHoldAttempts: z.number().int().min(1).max(50).default(5),
    databaseUrl: z.string().min(1).optional(),
    json: z.string().min(1).optional(),
    /** Longest wait after the run for abandoned holds to expire before the §7.3 check. */
    checkWaitSeconds: z.number().min(0).max(900).default(330),
    /** Hard bound on the buying phase, whatever count or duration say. */
    timeoutSeconds: z.number().min(1).max(7_200).default(900),
    requestTimeoutMs: z.number().int().min(100).max(120_000).default(15_000),
  })
  .refine((o) => !(o.count !== undefined && o.durationSeconds !== undefined), {
    message: 'give --count or --duration, not both',
    path: ['count'],
  });

export type LoadtestOptionsInput = z.input<typeof loadtestOptionsSchema>;
export type LoadtestOptions = z.output<typeof loadtestOptionsSchema>;

export const HELP = `Buyer simulator (SPEC §8): buyers hold → think → book (or abandon) while watchers follow the live map.

usage: npm run loadtest -- --url http://127.0.0.1:3000 [options]

  --url <url>              node base URL; repeat or comma-separate for several nodes (127.0.0.1/localhost only)
  --schedule <uuid>        performance to sell; default: the first bookable one found via the browse API
  --buyers <n>             concurrent buyers (default 100)
  --count <n>              purchase attempts in total (default: one per buyer)
  --duration <s>           keep buying for this long instead of --count
  --watchers <n>           live-map viewers (default 10)
  --watcher-kind <k>       socketio | ws (plain WebSocket feed) (default socketio)
  --seats-per-buyer <n>    seats per hold (default 2; the server allows MAX_SEATS_PER_HOLD, default 4)
  --mode <m>               manual (pick random free seats from the live map) | best (bestAvailable) (default manual)
  --think-ms <ms>          mean think time between hold and booking (default 200)
  --abandon-rate <0..1>    share of buyers who do not book (default 0.1)
  --abandon-mode <m>       delete | expire | mixed (default delete; expire waits HOLD_TTL_SECONDS before the check)
  --max-hold-attempts <n>  hold tries per purchase after 409s (default 5)
  --database-url <url>     Postgres of the nodes, for the §7.1 check (default: $DATABASE_URL)
  --check-wait <s>         longest wait for abandoned holds to expire before the §7.3 check (default 330)
  --timeout <s>            hard bound on the buying phase (default 900)
  --json <path>            also write the result as JSON
  --no-progress            no progress bar

Run the nodes with RATE_LIMIT_PER_MINUTE=0 LIVE_CONNECTS_PER_MINUTE=0 MAX_HELD_SEATS_PER_CLIENT=0: the per-client
limits (600 writes and 120 new live connections a minute, 8 seats held at once) otherwise answer most simulated
buyers and watchers, who all come from 127.0.0.1, with 429. For --abandon-mode expire, start the nodes with a short
HOLD_TTL_SECONDS (e.g. 5) so the final check does not wait five minutes.
Exit code: 0 all invariants hold, 1 an invariant failed, 2 bad usage or the run could not start.`;

function num(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

/** Parses command-line flags into validated options; throws a readable error on bad input. */
export function parseCli(argv: string[], env: Record<string, string | undefined>) {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      url: { type: 'string', multiple: true },
      schedule: { type: 'string' },
      buyers: { type: 'string' },
      count: { type: 'string' },
      duration: { type: 'string' },
      watchers: { type: 'string' },
      'watcher-kind': { type: 'string' },
      'seats-per-buyer': { type: 'string' },
      mode: { type: 'string' },
      'think-ms': { type: 'string' },
      'abandon-rate': { type: 'string' },
      'abandon-mode': { type: 'string' },
      'max-hold-attempts': { type: 'string' },
      'database-url': { type: 'string' },
      'check-wait': { type: 'string' },
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
  const parsed = loadtestOptionsSchema.safeParse({
    urls,
    scheduleId: values.schedule,
    buyers: num(values.buyers),
    count: num(values.count),
    durationSeconds: num(values.duration),
    watchers: num(values.watchers),
    watcherKind: values['watcher-kind'],
    seatsPerBuyer: num(values['seats-per-buyer']),
    mode: values.mode,
    thinkMs: num(values['think-ms']),
    abandonRate: num(values['abandon-rate']),
    abandonMode: values['abandon-mode'],
    maxHoldAttempts: num(values['max-hold-attempts']),
    databaseUrl: values['database-url'] ?? env.DATABASE_URL,
    checkWaitSeconds: num(values['check-wait']),
    timeoutSeconds: num(values.timeout),
    json: values.json,
  });
  if (!parsed.success) throw new Error(z.prettifyError(parsed.error));
  return { help: false as const, options: parsed.data, progress: !values['no-progress'] };
}
