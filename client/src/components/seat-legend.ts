import { h } from '../lib/dom.ts';
import { formatPrice } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import { gradeText, type SeatView, statusText } from '../lib/seat-label.ts';
import type { SeatStore } from '../lib/seat-store.ts';
import { swatch } from './seat-paint.ts';

/** Grades with their colour and price, and the four seat states with the same marks the map draws. */
export function seatLegend(store: SeatStore, colours: Map<string, string>): HTMLElement {
  const prices = store.gradePrices;
  const states: SeatView[] = ['available', 'mine', 'held', 'reserved'];
  return h(
    'div',
    { class: 'legend', role: 'group', 'aria-label': t('legend') },
    h(
      'ul',
      { class: 'legend-grades', role: 'list' },
      [...colours].map(([g, c]) =>
        h(
          'li',
          null,
          swatch('available', c),
          h('strong', null, gradeText(g)),
          h('span', null, formatPrice(prices.get(g) ?? 0)),
        ),
      ),
    ),
    h(
      'ul',
      { class: 'legend-states', role: 'list' },
      states.map((v) => h('li', null, swatch(v, v === 'available' ? [...colours.values()] : '#94a3b8'), statusText(v))),
    ),
  );
}
