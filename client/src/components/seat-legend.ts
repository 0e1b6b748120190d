import { h } from '../lib/dom.ts';
import { formatPrice } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import { type FlaggedSeat, gradeText, type SeatView, statusText } from '../lib/seat-label.ts';
import type { SeatStore } from '../lib/seat-store.ts';
import { swatch } from './seat-paint.ts';

/** Grades with their colour and price, and the four seat states with the same marks the map draws. */
export function seatLegend(store: SeatStore, colours: Map<string, string>): HTMLElement {
  const prices = store.gradePrices;
  const states: SeatView[] = ['available', 'mine', 'held', 'reserved'];
  // SPEC §12's wheelchair and companion seats get a legend entry when the venue has them.
  const seats = store.seats as readonly FlaggedSeat[];
  const flags = { accessible: seats.some((x) => x.accessible), companion: seats.some((x) => x.companion) };
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
      flags.accessible ? h('li', null, swatch('available', '#475569', 20, 'accessible'), t('legendAccessible')) : null,
      flags.companion ? h('li', null, swatch('available', '#475569', 20, 'companion'), t('legendCompanion')) : null,
    ),
  );
}
