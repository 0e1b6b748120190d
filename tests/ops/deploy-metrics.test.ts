import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/src/app.ts';
import { testConfig } from '../../server/src/config.ts';
import { isCI } from '../support/services.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const ALERTS = 'deploy/prometheus/alerts.yml';
const DASHBOARD = 'deploy/grafana/dashboards/seatmap-onsale.json';
const promtool = spawnSync('promtool', ['--version']).status === 0;

/** Metric names a PromQL text refers to, histogram series (_bucket, _sum, _count) by their family's name. */
function metricNames(text: string, histograms: Set<string>): Set<string> {
  return new Set(
    [...text.matchAll(/\bseatmap_[a-z0-9_]+/g)].map(([name]) => {
      const base = name.replace(/_(bucket|sum|count)$/, '');
      return histograms.has(base) ? base : name;
    }),
  );
}

// biome-ignore lint/suspicious/noExplicitAny: dashboard JSON.
const dashboard: any = JSON.parse(read(DASHBOARD));
// biome-ignore lint/suspicious/noExplicitAny: dashboard JSON.
const targets = (dashboard.panels as any[]).flatMap((p) => (p.targets ?? []).map((t: any) => t.expr as string));

describe('deploy/: dashboards and alert rules', () => {
  let exposition: string;
  let types: Map<string, string>;
  beforeAll(async () => {
    const app = await buildApp(testConfig({ DATABASE_URL: 'memory://' }), { clientDir: null });
    try {
      exposition = (await app.inject({ url: '/metrics' })).body;
    } finally {
      await app.close();
    }
    types = new Map([...exposition.matchAll(/^# TYPE (\S+) (\S+)/gm)].map((m) => [m[1]!, m[2]!]));
  });

  it.runIf(promtool || isCI)('the rules and the scrape config pass promtool', () => {
    for (const args of [
      ['check', 'rules', ALERTS],
      ['check', 'config', 'deploy/prometheus/prometheus.yml'],
    ]) {
      const result = spawnSync('promtool', args, { cwd: root, encoding: 'utf8' });
      expect(result.error, 'promtool must be installed (apt-get install prometheus)').toBeUndefined();
      expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
    }
  });

  it('every metric the rules and the dashboard name is exposed by /metrics', () => {
    const histograms = new Set([...types].filter(([, type]) => type === 'histogram').map(([name]) => name));
    const named = new Set([...metricNames(read(ALERTS), histograms), ...metricNames(targets.join('\n'), histograms)]);
    expect(named.size).toBeGreaterThan(15);
    expect([...named].filter((name) => !types.has(name))).toEqual([]);
  });

  it('the rules alert on 503s, p99, pool exhaustion, event-loop lag, Redis errors and the hold-expiry backlog', () => {
    const rules = read(ALERTS);
    const alerts = [...rules.matchAll(/- alert: (\w+)/g)].map((m) => m[1]);
    expect(alerts).toEqual(
      expect.arrayContaining([
        'SeatmapHigh503Rate',
        'SeatmapBookingLatencyHigh',
        'SeatmapDbPoolExhausted',
        'SeatmapEventLoopLag',
        'SeatmapRedisErrors',
        'SeatmapHoldExpiryBacklog',
      ]),
    );
  });

  it('the dashboard shows the on-sale: holds, bookings, conflicts, 5xx/503, p99 per route, pool wait, lag, sockets, fan-out', () => {
    const all = targets.join('\n');
    for (const needle of [
      'seatmap_holds_total',
      'seatmap_bookings_total',
      'seatmap_conflicts_total',
      'status_code="503"',
      'sum by (le, method, route) (rate(seatmap_http_request_duration_seconds_bucket',
      'seatmap_db_pool_acquire_duration_seconds_bucket',
      'seatmap_nodejs_eventloop_lag_p99_seconds',
      'seatmap_socketio_connections',
      'seatmap_live_fanout_lag_seconds_bucket',
    ]) {
      expect(all, needle).toContain(needle);
    }
    // biome-ignore lint/suspicious/noExplicitAny: dashboard JSON.
    const ids = (dashboard.panels as any[]).map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(dashboard.uid).toBe('seatmap-onsale');
  });
});
