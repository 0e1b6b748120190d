import type { AdminReservation, Stats } from '@seatmap/shared';
import { h, mount } from '../lib/dom.ts';
import { formatTime } from '../lib/format.ts';
import { ApiError } from '../lib/http.ts';
import { adminApi, saveFile } from './admin-api.ts';
import { gradeBars, revenueShare, summaryTiles } from './grade-bars.ts';
import { watchStats } from './live-stats.ts';
import { bt } from './messages.ts';
import { minuteChart, perMinute } from './minute-chart.ts';
import { reservationsTable } from './reservations-table.ts';

/**
 * The live panel of one performance: stats from `/boxoffice` (bars, tiles), and the reservation list, fetched
 * once and then topped up (`?since=`) whenever the stats show a booking — refetched whole after a cancellation.
 * Returns a function that stops it.
 */
export function mountDashboard(
  el: HTMLElement,
  opts: { token: string; scheduleId: string; timeZone: string; onAuthLost(): void; onConnection(ok: boolean): void },
): () => void {
  const tiles = h('section', { class: 'bo-summary', 'aria-live': 'polite' });
  const grades = h('div', { class: 'bo-grades-host' });
  const chart = h('div', { class: 'bo-chart-host' });
  const share = h('div', { class: 'bo-share-host' });
  const latest = h('div', { class: 'bo-latest-host' });
  const updated = h('span', { class: 'bo-muted bo-updated' });
  const csvButton = h(
    'button',
    { type: 'button', class: 'btn btn-small', onclick: () => void downloadCsv() },
    bt('downloadCsv'),
  );
  mount(
    el,
    tiles,
    h(
      'div',
      { class: 'bo-grid' },
      h('section', { class: 'card bo-card' }, h('h2', { class: 'bo-card-title' }, bt('byGrade')), grades),
      h(
        'section',
        { class: 'card bo-card' },
        h('h2', { class: 'bo-card-title' }, bt('perMinute')),
        chart,
        h('h2', { class: 'bo-card-title bo-card-title-next' }, bt('revenueShare')),
        share,
      ),
    ),
    h(
      'section',
      { class: 'card bo-card' },
      h('div', { class: 'bo-card-head' }, h('h2', { class: 'bo-card-title' }, bt('latest')), updated, csvButton),
      latest,
    ),
  );

  let stats: Stats | null = null;
  let reservations: AdminReservation[] = [];
  let stopped = false;

  const drawChart = () =>
    mount(
      chart,
      minuteChart(
        perMinute(
          reservations.map((r) => r.createdAt),
          Date.now(),
        ),
      ),
    );
  const draw = () => {
    if (stats) {
      mount(tiles, summaryTiles(stats));
      mount(grades, gradeBars(stats));
      mount(share, revenueShare(stats));
      updated.textContent = bt('updatedAt', { time: formatTime(new Date().toISOString(), opts.timeZone) });
    }
    drawChart();
    mount(latest, reservationsTable(reservations, opts.timeZone));
  };

  const failed = (err: unknown) => {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) opts.onAuthLost();
  };

  // One fetch at a time; a request while one runs is folded into one more run after it.
  let fetching: Promise<void> | null = null;
  let again: 'since' | 'all' | null = null;
  function refresh(kind: 'since' | 'all') {
    if (fetching) {
      again = again === 'all' || kind === 'all' ? 'all' : 'since';
      return;
    }
    const since = kind === 'since' ? reservations[0]?.createdAt : undefined;
    fetching = adminApi
      .reservations(opts.token, opts.scheduleId, since)
      .then(({ reservations: rows }) => {
        if (stopped) return;
        const known = new Set(rows.map((r) => r.reservationNumber));
        reservations = since ? [...rows, ...reservations.filter((r) => !known.has(r.reservationNumber))] : rows;
        draw();
      }, failed)
      .finally(() => {
        fetching = null;
        const next = again;
        again = null;
        if (next && !stopped) refresh(next);
      });
  }

  const stop = watchStats(opts.token, opts.scheduleId, {
    onStats(next) {
      const before = stats;
      stats = next;
      draw();
      if (before && next.reserved < before.reserved) refresh('all');
      else if (!before || next.reserved !== before.reserved || next.revenue !== before.revenue) refresh('since');
    },
    onConnection: opts.onConnection,
    onRefused: () => opts.onAuthLost(),
  });
  // The chart's window slides with the clock even when nothing sells.
  const tick = setInterval(drawChart, 15_000);
  refresh('all');

  async function downloadCsv() {
    csvButton.disabled = true;
    try {
      saveFile(await adminApi.csv(opts.token, opts.scheduleId));
    } catch (err) {
      failed(err);
    } finally {
      csvButton.disabled = false;
    }
  }

  return () => {
    stopped = true;
    clearInterval(tick);
    stop();
  };
}
