import type { AdminReservation } from '@seatmap/shared';
import { h } from '../lib/dom.ts';
import { formatPrice, formatTime } from '../lib/format.ts';
import { otherLang } from '../lib/i18n.ts';
import { bt } from './messages.ts';

export const LATEST_ROWS = 8;

/** The newest reservations, newest first. */
export function reservationsTable(reservations: AdminReservation[], timeZone: string): HTMLElement {
  if (reservations.length === 0) return h('p', { class: 'bo-muted bo-empty' }, bt('noReservations'));
  return h(
    'div',
    { class: 'bo-table-wrap' },
    h(
      'table',
      { class: 'bo-table' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['colTime', 'colNumber', 'colName', 'colSeats', 'colTotal', 'colStatus'].map((k) =>
            h('th', { scope: 'col' }, bt(k as Parameters<typeof bt>[0])),
          ),
        ),
      ),
      h(
        'tbody',
        null,
        reservations
          .slice(0, LATEST_ROWS)
          .map((r) =>
            h(
              'tr',
              { class: r.status === 'cancelled' ? 'bo-row-cancelled' : '' },
              h('td', null, formatTime(r.createdAt, timeZone)),
              h('td', { class: 'bo-mono' }, r.reservationNumber),
              h('td', { lang: otherLang(r.customer.name) }, r.customer.name),
              h('td', null, r.seats.map((s) => `${s.grade} ${s.seatNumber}`).join(', ')),
              h('td', { class: 'bo-right' }, formatPrice(r.totalPrice)),
              h(
                'td',
                null,
                h(
                  'span',
                  { class: `bo-pill bo-pill-${r.status}` },
                  bt(r.status === 'cancelled' ? 'cancelled' : 'confirmed'),
                ),
              ),
            ),
          ),
      ),
    ),
  );
}
