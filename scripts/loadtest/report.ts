import type { LoadtestResult } from './run.ts';
import type { LatencySummary } from './stats.ts';

function table(rows: (string | number)[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows
    .map((r, i) => {
      const line = r.map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c]!) : String(cell).padStart(widths[c]!)));
      return i === 0 ? `${line.join('  ')}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line.join('  ');
    })
    .join('\n');
}

const latencyRow = (name: string, s: LatencySummary) => [name, s.count, s.p50, s.p95, s.p99, s.max];

/** The human-readable summary printed after a run. */
export function formatReport(r: LoadtestResult): string {
  const b = r.buyers;
  const lines = [
    `performance ${r.scheduleId} (${r.seats} seats) on ${r.options.urls.join(', ')}`,
    `${r.options.buyers} buyers, ${r.options.mode} pick, ${r.options.seatsPerBuyer} seats each, ${r.buyingSeconds} s`,
    '',
    table([
      ['outcome', 'count'],
      ['purchases started', b.attempts],
      ['holds (201)', b.holds],
      ['bookings (201)', b.booked],
      ['seats booked', b.seatsBooked],
      ['abandoned: released', b.abandonedDeleted],
      ['abandoned: left to expire', b.abandonedExpiring],
      ['gave up after 409s', b.gaveUp],
      ['hold gone before booking', b.holdLost],
      ['conflicts (409)', r.conflicts.total],
      ...Object.entries(r.conflicts)
        .filter(([k]) => k !== 'total')
        .map(([k, v]) => [`  ${k}`, v]),
      ...Object.entries(b.errors).map(([k, v]) => [`error ${k}`, v]),
      ...Object.entries(b.retried).map(([k, v]) => [`retried ${k}`, v]),
      ['holds/s', r.throughput.holdsPerSecond],
      ['bookings/s', r.throughput.bookingsPerSecond],
    ]),
    '',
    table([
      ['latency (ms)', 'n', 'p50', 'p95', 'p99', 'max'],
      latencyRow('seat map GET', r.latencyMs.seatMap),
      latencyRow('hold POST', r.latencyMs.hold),
      latencyRow('reserve POST', r.latencyMs.reserve),
      latencyRow('release DELETE', r.latencyMs.release),
      latencyRow(`fan-out lag (${r.fanout.kind})`, r.fanout.lagMs),
    ]),
    `watchers: ${r.fanout.watchers.connected}/${r.fanout.watchers.requested} joined, ${r.fanout.watchers.failed} failed, ` +
      `${r.fanout.watchers.messages} messages, ${r.fanout.watchers.gaps} version gaps, ` +
      `${r.fanout.watchers.disconnects} drops, ${r.fanout.beforeResponse} changes before the 201`,
    '',
    'invariants:',
    ...r.checks.map((c) => `  ${c.ok === true ? 'PASS' : c.ok === false ? 'FAIL' : 'SKIP'}  ${c.name}: ${c.detail}`),
    '',
    r.ok ? 'RESULT: all checked invariants hold' : 'RESULT: INVARIANT VIOLATED',
  ];
  return lines.join('\n');
}
