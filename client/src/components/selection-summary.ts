import type { Seat } from '@seatmap/shared';
import { h, mount } from '../lib/dom.ts';
import { formatPrice } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import { gradeText, seatShortName } from '../lib/seat-label.ts';
import { holdTimer } from './hold-timer.ts';

export interface SummaryState {
  seats: Seat[];
  held: boolean;
  maxSeats: number;
  withSection: boolean;
  onRemove(seat: Seat): void;
  onHold(button: HTMLButtonElement): void;
  onRelease(): void;
}

/** The chosen seats with their total; before the hold a "hold" button, after it the countdown and next step. */
export function renderSelectionSummary(card: HTMLElement, s: SummaryState): void {
  const total = s.seats.reduce((sum, seat) => sum + seat.price, 0);
  const holdButton = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-primary btn-block',
      disabled: s.seats.length === 0,
      onclick: () => s.onHold(holdButton),
    },
    t('holdSeats'),
  );
  mount(
    card,
    h(
      'h2',
      { class: 'card-title' },
      t('selectionTitle'),
      h('span', { class: 'count-pill' }, `${s.seats.length}/${s.maxSeats}`),
    ),
    s.seats.length
      ? h(
          'ul',
          { class: 'selection-list', role: 'list' },
          s.seats.map((seat) => {
            const name = seatShortName(seat, s.withSection);
            return h(
              'li',
              null,
              h(
                'span',
                { class: 'sel-main' },
                h('span', { class: 'sel-name' }, name),
                h('span', { class: 'sel-meta' }, `${gradeText(seat.grade)} · ${formatPrice(seat.price)}`),
              ),
              h(
                'button',
                {
                  type: 'button',
                  class: 'icon-btn icon-btn-small',
                  'aria-label': t('removeSeat', { seat: name }),
                  onclick: () => s.onRemove(seat),
                },
                '×',
              ),
            );
          }),
        )
      : h('p', { class: 'empty' }, t('selectionEmpty')),
    h('div', { class: 'total-row' }, h('span', null, t('total')), h('strong', { class: 'total' }, formatPrice(total))),
    s.held
      ? [
          holdTimer(),
          h('a', { class: 'btn btn-primary btn-block', href: '#/checkout' }, t('continueToForm')),
          h('button', { type: 'button', class: 'btn btn-block', onclick: s.onRelease }, t('releaseHold')),
        ]
      : holdButton,
  );
}

/** Phones: the summary sits below the map, so a bar fixed to the bottom carries the total and the next step. */
export function renderMobileBar(bar: HTMLElement, s: SummaryState): void {
  const total = s.seats.reduce((sum, seat) => sum + seat.price, 0);
  const button = h(
    'button',
    { type: 'button', class: 'btn btn-primary', onclick: () => s.onHold(button) },
    t('holdSeats'),
  );
  bar.hidden = s.seats.length === 0;
  mount(
    bar,
    h(
      'div',
      { class: 'mobile-bar-info' },
      h('span', null, `${s.seats.length}/${s.maxSeats}`),
      h('strong', null, formatPrice(total)),
      s.held ? h('span', { class: 'hold-countdown' }) : null,
    ),
    s.held ? h('a', { class: 'btn btn-primary', href: '#/checkout' }, t('continueToForm')) : button,
  );
}
