import type { QueueLoadtestResult } from './queue-run.ts';

const ms = (s: { p50: number; p99: number }) => `p50 ${s.p50} ms, p99 ${s.p99} ms`;

/** The human table of a queue run; the JSON (--json) has every number. */
export function formatQueueReport(r: QueueLoadtestResult): string {
  const a = r.admission;
  const lines = [
    `Waiting room: ${r.customers.arrivals} arrivals over ${r.options.urls.length} node(s) in ${r.seconds} s (concert ${r.concertId})`,
    `  joined ${r.customers.joined}, pre-queue ${r.customers.preQueue}, admitted ${r.customers.admitted}, left ${r.customers.left}, reloaded ${r.customers.reloaded}, unfinished at the timeout ${r.customers.unfinished}, admission expired unseen ${r.customers.missed}`,
    `  admission: configured ${a.configuredPerMinute}/min, busiest 60 s ${a.busiestMinute}, busiest 10 s ${a.busiest10s}, achieved ${a.achievedPerMinute}/min`,
    `  active: maxActive ${a.maxActiveConfigured}, largest sampled ${a.largestActiveSampled}, reconstructed ${a.largestActiveReconstructed}`,
    `  waits: pre-queue ${ms(r.waitsMs.preQueue)} after opening; later arrivals ${ms(r.waitsMs.later)}; noticed ${ms(r.waitsMs.noticed)} after admission`,
    `  latency: join ${ms(r.latencyMs.join)}; poll ${ms(r.latencyMs.poll)}; baseline GET /health/live ${ms(r.latencyMs.baseline)} (client)`,
    `  server-side poll p99 ≤ ${r.serverPollP99Ms ?? '?'} ms (seatmap_queue_poll_duration_seconds, all nodes)`,
    ...(r.redis
      ? [
          `  redis: ${r.redis.bytesPerWaitingTicket} B per waiting ticket (${r.redis.waiting} waiting, queue keys ${r.redis.keysBytes} B)`,
        ]
      : []),
    ...(Object.keys(r.errors).length ? [`  errors: ${JSON.stringify(r.errors)}`] : []),
    '',
    'Checks (SPEC §13.9):',
    ...r.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`),
    r.ok ? 'All checks passed.' : 'SOME CHECKS FAILED.',
  ];
  return lines.join('\n');
}
