import type { Stats } from '@seatmap/shared';
import { h } from '../lib/dom.ts';
import { formatPrice } from '../lib/format.ts';
import { bt } from './messages.ts';

const pct = (n: number, total: number) => (total > 0 ? (100 * n) / total : 0);

/** One stacked bar: sold, held and available as shares of the total, with the numbers beside it. */
function bar(label: string, sub: string, part: { reserved: number; held: number; available: number; total: number }) {
  const segment = (kind: 'sold' | 'held' | 'available', n: number) =>
    h('span', { class: `bo-seg bo-seg-${kind}`, style: `width:${pct(n, part.total).toFixed(3)}%` });
  return h(
    'li',
    { class: 'bo-grade' },
    h('div', { class: 'bo-grade-head' }, h('strong', null, label), h('span', { class: 'bo-muted' }, sub)),
    h(
      'div',
      {
        class: 'bo-bar',
        role: 'img',
        'aria-label': `${label}: ${bt('sold')} ${part.reserved}, ${bt('held')} ${part.held}, ${bt('available')} ${part.available}`,
      },
      segment('sold', part.reserved),
      segment('held', part.held),
      segment('available', part.available),
    ),
    h(
      'div',
      { class: 'bo-grade-nums' },
      h('span', { class: 'bo-num-sold' }, `${bt('sold')} ${part.reserved.toLocaleString()}`),
      h('span', { class: 'bo-num-held' }, `${bt('held')} ${part.held.toLocaleString()}`),
      h('span', { class: 'bo-num-available' }, `${bt('available')} ${part.available.toLocaleString()}`),
      h('span', { class: 'bo-grade-pct' }, `${pct(part.reserved, part.total).toFixed(1)}%`),
    ),
  );
}

/** Per-grade bars (price order, as the server sends them). */
export function gradeBars(stats: Stats): HTMLElement {
  return h(
    'ul',
    { class: 'bo-grades', role: 'list' },
    stats.byGrade.map((g) =>
      bar(
        bt('gradeLabel', { grade: g.grade, price: formatPrice(g.price) }),
        `${bt('seatsCount', { n: g.total.toLocaleString() })} · ${bt('revenue')} ${formatPrice(g.revenue)}`,
        g,
      ),
    ),
  );
}

/** The headline tiles: sold, held, available, revenue. */
export function summaryTiles(stats: Stats): HTMLElement {
  const tile = (kind: string, label: string, value: string, sub: string) =>
    h(
      'div',
      { class: `bo-tile bo-tile-${kind}` },
      h('span', { class: 'bo-tile-label' }, label),
      h('strong', { class: 'bo-tile-value', dataset: { stat: kind } }, value),
      h('span', { class: 'bo-tile-sub' }, sub),
    );
  const of = (n: number) => bt('seatsOf', { n: n.toLocaleString(), total: stats.total.toLocaleString() });
  return h(
    'div',
    { class: 'bo-tiles' },
    tile(
      'sold',
      bt('sold'),
      stats.reserved.toLocaleString(),
      `${bt('sellThrough')} ${pct(stats.reserved, stats.total).toFixed(1)}%`,
    ),
    tile('held', bt('held'), stats.held.toLocaleString(), of(stats.held)),
    tile(
      'available',
      bt('available'),
      stats.available.toLocaleString(),
      // Seats not for sale (SPEC §12) are counted apart: neither available nor sold.
      stats.withheld
        ? `${of(stats.available)} · ${bt('withheldSub', { n: stats.withheld.toLocaleString() })}`
        : of(stats.available),
    ),
    tile(
      'revenue',
      bt('revenue'),
      formatPrice(stats.revenue),
      bt('seatsCount', { n: stats.reserved.toLocaleString() }),
    ),
  );
}

const GRADE_COLOURS = ['#be123c', '#7c3aed', '#0284c7', '#059669', '#d97706', '#475569'];

/** Revenue by grade as one stacked bar with a legend (grades in price order, as sent). */
export function revenueShare(stats: Stats): HTMLElement {
  const colour = (i: number) => GRADE_COLOURS[i % GRADE_COLOURS.length]!;
  return h(
    'div',
    { class: 'bo-share' },
    h(
      'div',
      {
        class: 'bo-bar bo-share-bar',
        role: 'img',
        'aria-label': `${bt('revenueShare')}: ${formatPrice(stats.revenue)}`,
      },
      stats.byGrade.map((g, i) =>
        h('span', {
          class: 'bo-seg',
          style: `width:${pct(g.revenue, stats.revenue).toFixed(3)}%;background:${colour(i)}`,
        }),
      ),
    ),
    h(
      'ul',
      { class: 'bo-share-legend', role: 'list' },
      stats.byGrade.map((g, i) =>
        h(
          'li',
          null,
          h('span', { class: 'bo-swatch', style: `background:${colour(i)}` }),
          h('span', { class: 'bo-share-grade' }, g.grade),
          h('span', { class: 'bo-share-amount' }, formatPrice(g.revenue)),
          h('span', { class: 'bo-muted' }, `${pct(g.revenue, stats.revenue).toFixed(0)}%`),
        ),
      ),
    ),
  );
}
