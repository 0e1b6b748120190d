import { writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { adminConcertSchema, type QueueTicketStatus, queueStatsSchema, queueTicketStatusSchema } from '@seatmap/shared';
import { Redis } from 'ioredis';
import { ApiClient, type ApiResponse } from './api.ts';
import { type QueueLoadtestInput, type QueueLoadtestOptions, queueLoadtestSchema } from './queue-options.ts';
import {
  checkPreQueue,
  fifoViolations,
  maxInWindow,
  maxOverlap,
  type PreQueueVerdict,
  percentile,
} from './queue-stats.ts';
import { LatencyRecorder, type LatencySummary, Tally } from './stats.ts';

export class QueueSetupError extends Error {}

/** A moved opensAt is set this far ahead, so every node reads it (QUEUE_CONFIG_REFRESH_MS, 1 s by default) first. */
const OPEN_NOTICE_MS = 1500;
/** Until the opening is fixed (openAfterPreQueue) the queue is set to open this far away. */
const NOT_YET_MS = 24 * 3600_000;
/** Once told the opening, the pre-queue's customers poll again over this long after it. */
const OPENING_POLL_SPREAD_MS = 1000;

interface Customer {
  index: number;
  arriveAt: number;
  /** Arrives before the opening (meant for the pre-queue); `pre` says what the server answered. */
  early: boolean;
  reloads: boolean;
  leaves: boolean;
  ticket?: string;
  sentAt?: number;
  answeredAt?: number;
  /** From the join's answer: position null means the pre-queue. */
  pre?: boolean;
  lastPosition?: number;
  token?: string;
  admittedAt?: number;
  expiresAt?: number;
  noticedAt?: number;
  endedAt?: number;
  left?: boolean;
  /** Its admission ended before it polled again (the simulator fell behind): admitted, but never seen. */
  missed?: boolean;
  done: boolean;
}

export interface QueueCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface QueueLoadtestResult {
  ok: boolean;
  options: Omit<QueueLoadtestOptions, 'adminToken'>;
  concertId: string;
  seconds: number;
  /** `unfinished`: still waiting at the timeout; `missed`: admitted but expired before they polled (reported, not §13). */
  customers: {
    arrivals: number;
    /** Arrivals whose join was answered before the deadline. */
    joined: number;
    preQueue: number;
    admitted: number;
    left: number;
    reloaded: number;
    unfinished: number;
    missed: number;
  };
  admission: {
    configuredPerMinute: number;
    busiestMinute: number;
    busiest10s: number;
    /** Admissions per minute while the line was not empty (first to last admission). */
    achievedPerMinute: number;
    maxActiveConfigured: number;
    largestActiveSampled: number;
    largestActiveReconstructed: number;
  };
  order: { preQueue: PreQueueVerdict; fifoViolations: number; preAfterLater: number; positionIncreases: number };
  waitsMs: { preQueue: LatencySummary; later: LatencySummary; noticed: LatencySummary };
  /** Client-side latency; `baseline` is GET /health/live sampled alongside (the ratio poll/baseline is the figure). */
  latencyMs: { join: LatencySummary; poll: LatencySummary; baseline: LatencySummary };
  serverPollP99Ms: number | null;
  redis: { bytesPerWaitingTicket: number; keysBytes: number; waiting: number } | null;
  errors: Record<string, number>;
  checks: QueueCheck[];
}

/**
 * A counting semaphore with two lanes: the simulator's own bound on requests in flight. When the machine cannot
 * keep up, joins, admissions given up and the polls of customers near the front go first, so the run degrades
 * into longer waits for the back of the line instead of admitted customers who never hear of it.
 */
function limiter(max: number) {
  let active = 0;
  const lanes: [(() => void)[], (() => void)[]] = [[], []];
  const next = () => (lanes[0].shift() ?? lanes[1].shift())?.();
  return async <T>(work: () => Promise<T>, urgent = true): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => lanes[urgent ? 0 : 1].push(resolve));
    active++;
    try {
      return await work();
    } finally {
      active--;
      next();
    }
  };
}

/**
 * Runs the waiting-room simulator against running nodes: sets the concert's queue up, sends the arrivals, follows
 * every customer until admitted (then gives the admission up after a while) or gone, and checks SPEC §13.9.
 */
export async function runQueueLoadtest(
  input: QueueLoadtestInput,
  hooks: { log?: (line: string) => void } = {},
): Promise<QueueLoadtestResult> {
  const options = queueLoadtestSchema.parse(input);
  const log = hooks.log ?? (() => {});
  const apis = options.urls.map((url) => new ApiClient(url, 30_000));
  const api = () => apis[Math.floor(Math.random() * apis.length)]!;
  const limit = limiter(options.concurrency);
  const admin = { authorization: `Bearer ${options.adminToken}` };
  const errors = new Tally();

  // A concert's queue opens once (its pre-queue is drawn once): each run sets up a fresh concert unless told one.
  const concertId = options.concertId ?? (await freshConcert(apis[0]!, admin));
  // Other nodes read the settings within QUEUE_CONFIG_REFRESH_MS (1 s): the first arrival comes after that.
  const base = Date.now() + 1500;
  const plannedOpens = base + options.openInSeconds * 1000;
  // openAfterPreQueue: the queue opens far away until every pre-queue join is answered, then the opener moves it.
  let opens = options.openAfterPreQueue ? base + NOT_YET_MS : plannedOpens;
  const putSettings = (opensAt: number) =>
    apis[0]!.call(
      'PUT',
      `/api/admin/concerts/${concertId}/queue`,
      null,
      {
        enabled: true,
        opensAt: new Date(opensAt).toISOString(),
        admitPerMinute: options.admitPerMinute,
        maxActive: options.maxActive,
        sessionMinutes: options.sessionMinutes,
      },
      admin,
    );
  const put = await putSettings(opens);
  if (put.status !== 200) throw new QueueSetupError(`PUT queue: ${put.status} ${put.error?.message ?? ''}`);
  await apis[0]!.call('PATCH', `/api/admin/concerts/${concertId}/queue`, null, { paused: false }, admin);

  const preCount = Math.round(options.arrivals * options.preShare);
  const customers: Customer[] = Array.from({ length: options.arrivals }, (_, index) => {
    const pre = index < preCount;
    // The pre-queue arrives over the first 70 % of the wait, so its joins are in before opensAt even on a busy machine.
    const span = pre ? options.openInSeconds * 700 : options.arrivalSeconds * 1000;
    const offset = pre ? 0 : options.openInSeconds * 1000 + 200;
    return {
      index,
      arriveAt: base + offset + Math.random() * Math.max(0, span),
      early: pre,
      reloads: Math.random() < options.reloadRate,
      leaves: Math.random() < options.leaveRate,
      done: false,
    };
  });
  customers.sort((a, b) => a.arriveAt - b.arriveAt);
  customers.forEach((c, i) => {
    c.index = i;
  });

  const joinLatency = new LatencyRecorder();
  const pollLatency = new LatencyRecorder();
  // Raw baseline measured beside the polls, through the same client and limiter: the cheapest route there is.
  const baselineLatency = new LatencyRecorder();
  let positionIncreases = 0;
  let reloaded = 0;
  let largestActiveSampled = 0;
  let redisFigure: QueueLoadtestResult['redis'] = null;
  const redis = options.redisUrl ? new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 }) : null;
  if (redis) await redis.connect();
  const deadline = base + options.timeoutSeconds * 1000;

  // The opening instant, once fixed: at once on a timed run; after the pre-queue's joins with openAfterPreQueue.
  let announceOpening: (at: number) => void = () => {};
  const opening = new Promise<number>((resolve) => {
    announceOpening = resolve;
  });
  let earlyUnanswered = customers.filter((c) => c.early).length;
  let earlyAnswered: () => void = () => {};
  const allEarlyAnswered = new Promise<void>((resolve) => {
    earlyAnswered = resolve;
    if (earlyUnanswered === 0) resolve();
  });
  const opener = (async () => {
    if (!options.openAfterPreQueue) return announceOpening(opens);
    await Promise.race([allEarlyAnswered, sleep(Math.max(0, deadline - Date.now()))]);
    opens = Math.max(Date.now() + OPEN_NOTICE_MS, plannedOpens);
    const moved = await putSettings(opens);
    if (moved.status !== 200) errors.add(`open:${moved.status}`);
    announceOpening(opens);
  })();

  async function request(
    call: () => Promise<ApiResponse<unknown>>,
    kind: string,
    recorder?: LatencyRecorder,
    urgent = true,
  ) {
    for (let attempt = 0; ; attempt++) {
      // Past the deadline a queued request is dropped, so the run ends on time even when it fell behind.
      const res = await limit(
        () => (Date.now() > deadline ? Promise.resolve({ status: -1, ms: 0 } as ApiResponse<unknown>) : call()),
        urgent,
      );
      if (res.status === -1) return res;
      if (res.status === 200 || res.status === 204) {
        recorder?.record(res.ms);
        return res;
      }
      errors.add(`${kind}:${res.status}:${res.error?.code ?? ''}`);
      if (res.status !== 503 && res.status !== 0 && res.status !== 429) return res;
      if (attempt >= 10 || Date.now() > deadline) return res;
      await sleep(200 + Math.random() * 300);
    }
  }

  function observe(c: Customer, status: QueueTicketStatus) {
    if (status.ticket !== c.ticket) errors.add('ticket-changed');
    if (status.status === 'waiting' && status.position !== null) {
      if (c.lastPosition !== undefined && status.position > c.lastPosition) positionIncreases++;
      c.lastPosition = status.position;
    }
    if (status.admission) {
      if (c.token && c.token !== status.admission.token) errors.add('token-changed');
      c.token = status.admission.token;
      c.expiresAt = Date.parse(status.admission.expiresAt);
      c.admittedAt = c.expiresAt - options.sessionMinutes * 60_000;
      c.noticedAt ??= Date.now();
    }
  }

  /** The poll hint, except that a pre-queue customer waiting for a moved opening polls again just after it. */
  async function waitToPoll(c: Customer, pollAfterMs: number) {
    const hint = sleep(Math.max(100, pollAfterMs));
    if (!options.openAfterPreQueue || !c.pre) return hint;
    const afterOpening = opening.then((at) =>
      sleep(Math.max(0, at - Date.now()) + Math.random() * OPENING_POLL_SPREAD_MS),
    );
    await Promise.race([hint, afterOpening]);
  }

  async function live(c: Customer): Promise<void> {
    // Later arrivals keep their offset from the opening, wherever the opening ends up.
    const arriveAt = c.early ? c.arriveAt : (await opening) + (c.arriveAt - plannedOpens);
    await sleep(Math.max(0, arriveAt - Date.now()));
    c.sentAt = Date.now();
    const joined = await request(
      () => api().call('POST', `/api/concerts/${concertId}/queue`, queueTicketStatusSchema, {}),
      'join',
      joinLatency,
    );
    c.answeredAt = Date.now();
    if (c.early && --earlyUnanswered === 0) earlyAnswered();
    if (!joined.data) return;
    const first = joined.data as QueueTicketStatus;
    c.ticket = first.ticket;
    c.pre = first.status === 'waiting' && first.position === null;
    observe(c, first);
    let status = first;
    let polls = 0;
    while (!status.admission && Date.now() < deadline) {
      if (status.status === 'closed') {
        c.missed = true;
        return;
      }
      await waitToPoll(c, status.pollAfterMs);
      polls++;
      if (c.leaves && polls === 2) {
        const res = await request(() => api().call('DELETE', `/api/queue/${c.ticket}`, null), 'leave');
        c.left = res.status === 204;
        return;
      }
      const reload = c.reloads && polls === 1;
      if (reload) reloaded++;
      const res = reload
        ? await request(
            () => api().call('POST', `/api/concerts/${concertId}/queue`, queueTicketStatusSchema, { ticket: c.ticket }),
            'reload',
          )
        : await request(
            () => api().call('GET', `/api/queue/${c.ticket}`, queueTicketStatusSchema),
            'poll',
            pollLatency,
          );
      if (!res.data) {
        if (res.status === 404) errors.add('ticket-lost');
        return;
      }
      status = res.data as QueueTicketStatus;
      observe(c, status);
    }
    if (!status.admission) return;
    // Admitted: choose seats for a while, then give the admission up (frees the active place).
    await sleep(options.holdMs * (0.5 + Math.random()));
    // The server frees the place after this instant (a lower bound, so the overlap check never over-counts).
    const endSentAt = Date.now();
    const end = await request(() => api().call('DELETE', `/api/queue/${c.ticket}`, null), 'end');
    if (end.status === 204) c.endedAt = endSentAt;
    c.done = true;
  }

  const statsUrl = `/api/admin/concerts/${concertId}/queue/stats`;
  let sampling = true;
  const sampler = (async () => {
    let lastLog = 0;
    while (sampling) {
      // Outside the limiter, so a busy simulator never stalls the sampling (its own time is not in `ms`).
      const live = await api().call('GET', '/health/live', null);
      if (live.status === 200) baselineLatency.record(live.ms);
      const res = await apis[0]!.call('GET', statsUrl, queueStatsSchema, undefined, admin);
      if (res.data) {
        largestActiveSampled = Math.max(largestActiveSampled, res.data.active);
        if (Date.now() - lastLog > 2000) {
          lastLog = Date.now();
          log(
            `t=${((Date.now() - base) / 1000).toFixed(1)}s waiting ${res.data.waiting} active ${res.data.active} admitted ${res.data.admittedTotal} last-minute ${res.data.admittedLastMinute}`,
          );
        }
      }
      await sleep(250);
    }
  })();
  // Memory per waiting ticket, sampled every second; the figure is taken when the line is longest.
  let measuring = redis !== null;
  const memory = redis
    ? (async () => {
        const keyBase = `${options.redisPrefix}queue:{q:${concertId}}:`;
        const names = ['meta', 'q', 'admitted', 'adm', 'active', 'log', 'used'].map((k) => keyBase + k);
        while (measuring) {
          const waiting = await redis.zcard(`${keyBase}q`);
          if (waiting > (redisFigure?.waiting ?? 0)) {
            const sizes = await Promise.all(names.map((k) => redis.memory('USAGE', k, 'SAMPLES', '0')));
            redisFigure = {
              bytesPerWaitingTicket: Math.round(Number(sizes[1] ?? 0) / waiting),
              keysBytes: sizes.reduce<number>((sum, s) => sum + Number(s ?? 0), 0),
              waiting,
            };
          }
          await sleep(1000);
        }
      })()
    : Promise.resolve();

  await Promise.all(customers.map((c) => live(c).catch((err: unknown) => errors.add(`crash:${String(err)}`))));
  await opener;
  measuring = false;
  await memory;
  sampling = false;
  await sampler;
  const finalStats = (await apis[0]!.call('GET', statsUrl, queueStatsSchema, undefined, admin)).data;
  // Leavers whose admission came before their DELETE count as admitted (their ticket reads "closed", not 404).
  let leaversAdmitted = 0;
  await Promise.all(
    customers
      .filter((x) => x.left && !x.token)
      .map(async (c) => {
        // Asked until answered: a busy machine's 503 or dropped connection must not hide an admitted leaver.
        for (let attempt = 1; ; attempt++) {
          const res = await limit(() => api().call('GET', `/api/queue/${c.ticket}`, queueTicketStatusSchema));
          if (res.status === 200) leaversAdmitted++;
          if (![0, 429, 503].includes(res.status) || attempt === 10) return;
          await sleep(200 + Math.random() * 300);
        }
      }),
  );
  const serverPollP99Ms = await serverPollP99(apis);
  redis?.disconnect();

  const admitted = customers.filter((c) => c.admittedAt !== undefined);
  const times = admitted.map((c) => c.admittedAt!).sort((a, b) => a - b);
  const tokens = new Set(admitted.map((c) => c.token));
  const pre = admitted.filter((c) => c.pre);
  const later = admitted.filter((c) => !c.pre);
  const preVerdict = checkPreQueue(
    pre.map((c) => c.index),
    pre.map((c) => c.admittedAt!),
  );
  const fifo = fifoViolations(
    later.map((c) => ({ sentAt: c.sentAt!, answeredAt: c.answeredAt!, admittedAt: c.admittedAt! })),
  );
  const lastPre = Math.max(...pre.map((c) => c.admittedAt!), Number.NEGATIVE_INFINITY);
  const preAfterLater = later.filter((c) => c.admittedAt! < lastPre).length;
  const reconstructed = maxOverlap(
    admitted.map((c) => ({ from: c.admittedAt!, to: Math.min(c.expiresAt!, c.endedAt ?? c.expiresAt!) })),
  );
  const busiestMinute = maxInWindow(times, 60_000);
  const busiest10s = maxInWindow(times, 10_000);
  const spanMin = times.length > 1 ? (times.at(-1)! - times[0]!) / 60_000 : 0;
  const pace10s = Math.ceil(options.admitPerMinute / 6 + options.admitPerMinute / 60 + 1);
  const unfinished = customers.filter((c) => c.ticket && !c.done && !c.left && !c.missed).length;
  const missed = customers.filter((c) => c.missed).length;
  const known = admitted.length + leaversAdmitted + missed;
  const serverTotal = finalStats?.admittedTotal ?? -1;

  const checks: QueueCheck[] = [
    {
      name: 'rate: at most admitPerMinute in any 60 s',
      ok: busiestMinute <= options.admitPerMinute,
      detail: `${busiestMinute} ≤ ${options.admitPerMinute}`,
    },
    {
      name: 'pace: spread over the minute (10 s share + 1 s burst)',
      ok: busiest10s <= pace10s,
      detail: `${busiest10s} ≤ ${pace10s}`,
    },
    {
      name: 'maxActive: never more admitted at once',
      ok: largestActiveSampled <= options.maxActive && reconstructed <= options.maxActive,
      detail: `sampled ${largestActiveSampled}, reconstructed ${reconstructed} ≤ ${options.maxActive}`,
    },
    {
      // Nobody admitted twice (one token each, never changing), and the server's count agrees with what the
      // customers saw: exactly, when every customer finished; within the unfinished ones' number otherwise.
      name: 'each ticket admitted once',
      ok:
        tokens.size === admitted.length &&
        errors.get('token-changed') === 0 &&
        serverTotal >= known &&
        serverTotal <= known + unfinished,
      detail: `${admitted.length} seen + ${leaversAdmitted} leavers + ${missed} expired unseen = ${known}${unfinished ? ` (+ up to ${unfinished} unfinished)` : ''}; server ${serverTotal}; distinct tokens ${tokens.size}`,
    },
    {
      name: 'pre-queue order uniform (Spearman ρ, KS of early arrivals)',
      ok: preVerdict.ok,
      detail: `n=${preVerdict.n} ρ=${preVerdict.rho.toFixed(4)} (|ρ|≤${preVerdict.rhoLimit.toFixed(4)}) KS=${preVerdict.ks.toFixed(4)} (≤${preVerdict.ksLimit.toFixed(4)})`,
    },
    {
      name: 'FIFO after opening',
      ok: fifo === 0 && preAfterLater === 0,
      detail: `${fifo} out of order, ${preAfterLater} later arrivals before the pre-queue`,
    },
    {
      name: 'a place never moves back (reloads, second polls)',
      ok: positionIncreases === 0 && errors.get('ticket-lost') === 0 && errors.get('ticket-changed') === 0,
      detail: `${positionIncreases} increases, ${errors.get('ticket-lost')} lost tickets`,
    },
  ];

  const result: QueueLoadtestResult = {
    ok: checks.every((c) => c.ok),
    options: { ...options, adminToken: undefined } as unknown as QueueLoadtestResult['options'],
    concertId,
    seconds: Math.round((Date.now() - base) / 100) / 10,
    customers: {
      arrivals: customers.length,
      joined: customers.filter((c) => c.ticket).length,
      preQueue: customers.filter((c) => c.pre).length,
      admitted: admitted.length,
      left: customers.filter((c) => c.left).length,
      reloaded,
      unfinished,
      missed,
    },
    admission: {
      configuredPerMinute: options.admitPerMinute,
      busiestMinute,
      busiest10s,
      achievedPerMinute: spanMin > 0 ? Math.round(times.length / spanMin) : times.length,
      maxActiveConfigured: options.maxActive,
      largestActiveSampled,
      largestActiveReconstructed: reconstructed,
    },
    order: { preQueue: preVerdict, fifoViolations: fifo, preAfterLater, positionIncreases },
    waitsMs: {
      preQueue: summary(pre.map((c) => c.admittedAt! - opens)),
      later: summary(later.map((c) => c.admittedAt! - c.answeredAt!)),
      noticed: summary(admitted.map((c) => c.noticedAt! - c.admittedAt!)),
    },
    latencyMs: { join: joinLatency.summary(), poll: pollLatency.summary(), baseline: baselineLatency.summary() },
    serverPollP99Ms,
    redis: redisFigure,
    errors: errors.counts,
    checks,
  };
  if (options.json) await writeFile(options.json, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

function summary(values: number[]): LatencySummary {
  const r = new LatencyRecorder();
  for (const v of values) r.record(Math.max(0, v));
  return { ...r.summary(), p50: Math.round(percentile(values, 0.5)), p99: Math.round(percentile(values, 0.99)) };
}

/** p99 of the nodes' own poll timing (`seatmap_queue_poll_duration_seconds{kind="poll"}`), summed over nodes. */
async function serverPollP99(apis: ApiClient[]): Promise<number | null> {
  const buckets = new Map<number, number>();
  for (const api of apis) {
    const res = await fetch(`${api.baseUrl}/metrics`).then(
      (r) => r.text(),
      () => '',
    );
    for (const line of res.split('\n')) {
      if (!line.startsWith('seatmap_queue_poll_duration_seconds_bucket{') || !line.includes('kind="poll"')) continue;
      const m = /le="([^"]+)".* (\d+)$/.exec(line);
      if (!m) continue;
      const le = m[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[1]);
      buckets.set(le, (buckets.get(le) ?? 0) + Number(m[2]));
    }
  }
  const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
  const total = sorted.at(-1)?.[1] ?? 0;
  if (total === 0) return null;
  const bound = sorted.find(([, count]) => count >= total * 0.99)?.[0];
  return bound === undefined || !Number.isFinite(bound) ? null : bound * 1000;
}

async function freshConcert(api: ApiClient, admin: Record<string, string>): Promise<string> {
  const concert = await api.call(
    'POST',
    '/api/admin/concerts',
    adminConcertSchema,
    { title: `Queue loadtest ${new Date().toISOString()}`, venue: 'Loadtest Hall' },
    admin,
  );
  if (!concert.data)
    throw new QueueSetupError(`could not create a concert: ${concert.status} ${concert.error?.message}`);
  const schedule = await api.call(
    'POST',
    `/api/admin/concerts/${concert.data.id}/schedules`,
    null,
    {
      dateTime: new Date(Date.now() + 30 * 24 * 3600_000).toISOString(),
      layout: { sections: [{ name: 'A', grade: 'R', price: 100_000, rows: 10, seatsPerRow: 20 }] },
    },
    admin,
  );
  if (schedule.status !== 201) throw new QueueSetupError(`could not create a performance: ${schedule.status}`);
  return concert.data.id;
}
