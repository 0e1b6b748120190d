import { h, svg } from '../lib/dom.ts';
import { bt } from './messages.ts';

export const CHART_MINUTES = 30;

/** Bookings per minute for the last `minutes` minutes, oldest first; the last bucket is the current minute. */
export function perMinute(createdAts: string[], now: number, minutes = CHART_MINUTES): number[] {
  const buckets = new Array<number>(minutes).fill(0);
  const current = Math.floor(now / 60_000);
  for (const iso of createdAts) {
    const age = current - Math.floor(Date.parse(iso) / 60_000);
    if (age >= 0 && age < minutes) buckets[minutes - 1 - age]!++;
  }
  return buckets;
}

/** A small SVG bar chart of bookings per minute, scaled to its busiest minute. */
export function minuteChart(buckets: number[]): HTMLElement {
  const W = 600;
  const H = 200;
  const pad = { left: 28, right: 8, top: 10, bottom: 22 };
  const max = Math.max(1, ...buckets);
  const step = (W - pad.left - pad.right) / buckets.length;
  const y = (n: number) => pad.top + (H - pad.top - pad.bottom) * (1 - n / max);
  const grid = [0, Math.ceil(max / 2), max].filter((v, i, a) => a.indexOf(v) === i);

  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'bo-chart-svg', 'aria-hidden': 'true' });
  for (const v of grid) {
    chart.appendChild(svg('line', { x1: pad.left, x2: W - pad.right, y1: y(v), y2: y(v), class: 'bo-chart-grid' }));
    const label = svg('text', { x: pad.left - 6, y: y(v) + 4, class: 'bo-chart-axis', 'text-anchor': 'end' });
    label.textContent = String(v);
    chart.appendChild(label);
  }
  buckets.forEach((n, i) => {
    if (n === 0) return;
    const x = pad.left + i * step + step * 0.15;
    chart.appendChild(
      svg('rect', {
        x: x.toFixed(2),
        y: y(n).toFixed(2),
        width: (step * 0.7).toFixed(2),
        height: (H - pad.bottom - y(n)).toFixed(2),
        rx: 2,
        class: i === buckets.length - 1 ? 'bo-chart-bar bo-chart-bar-now' : 'bo-chart-bar',
      }),
    );
  });
  for (const [i, text] of [
    [0, bt('minutesAgo', { n: buckets.length })],
    [Math.floor(buckets.length / 2), bt('minutesAgo', { n: Math.ceil(buckets.length / 2) })],
    [buckets.length - 1, bt('now')],
  ] as const) {
    const label = svg('text', {
      x: pad.left + i * step + step / 2,
      y: H - 6,
      class: 'bo-chart-axis',
      'text-anchor': i === 0 ? 'start' : i === buckets.length - 1 ? 'end' : 'middle',
    });
    label.textContent = text;
    chart.appendChild(label);
  }
  const total = buckets.reduce((a, b) => a + b, 0);
  return h(
    'figure',
    { class: 'bo-chart' },
    chart,
    h('figcaption', { class: 'bo-muted' }, bt('perMinuteSummary', { n: total, max: Math.max(0, ...buckets) })),
  );
}
