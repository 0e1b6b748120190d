import { h, mount } from '../lib/dom.ts';
import { formatPrice } from '../lib/format.ts';
import type { MySeatState } from '../lib/hold-controller.ts';
import { t } from '../lib/i18n.ts';
import { gradeText, seatShortName } from '../lib/seat-label.ts';
import type { LayoutSeat } from '../lib/seat-snapshot.ts';
import { holdTimer } from './hold-timer.ts';

/** The customer's standing places (SPEC §12), as the summary lists them. */
export interface SummaryArea {
  name: string;
  grade: string;
  price: number;
  quantity: number;
  held: boolean;
}

export interface SummaryState {
  seats: { seat: LayoutSeat; state: MySeatState }[];
  area: SummaryArea | null;
  held: boolean;
  busy: boolean;
  maxSeats: number;
  holdMinutes: number;
  withSection: boolean;
  /** What did not go as asked, in plain words (shown inline, announced as an alert). */
  notice: string | null;
  onRemove(seat: LayoutSeat): void;
  onRemoveArea(): void;
  onContinue(button: HTMLButtonElement): void;
  onRelease(): void;
}

const stateText: Record<Exclude<MySeatState, 'held'>, Parameters<typeof t>[0]> = {
  saving: 'seatSaving',
  refused: 'seatNotHeld',
};

function total(s: SummaryState): number {
  return s.seats.reduce((sum, { seat }) => sum + seat.price, 0) + (s.area ? s.area.price * s.area.quantity : 0);
}

/** Seats plus standing places. */
function chosenCount(s: SummaryState): number {
  return s.seats.length + (s.area?.quantity ?? 0);
}

function areaItem(s: SummaryState, area: SummaryArea): HTMLElement {
  const name = t('areaInSelection', { name: area.name, n: area.quantity });
  return h(
    'li',
    { class: area.held ? 'sel-held sel-area' : 'sel-saving sel-area' },
    h(
      'span',
      { class: 'sel-main' },
      h('span', { class: 'sel-name' }, name),
      h(
        'span',
        { class: 'sel-meta' },
        `${gradeText(area.grade)} · ${formatPrice(area.price)} × ${area.quantity}`,
        area.held ? null : h('span', { class: 'sel-state' }, ` · ${t('seatSaving')}`),
      ),
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'icon-btn icon-btn-small',
        'aria-label': t('areaRemove', { name: area.name }),
        dataset: { key: 'remove-area' },
        onclick: s.onRemoveArea,
      },
      '×',
    ),
  );
}

function continueButton(s: SummaryState, className: string): HTMLButtonElement {
  const button = h(
    'button',
    {
      type: 'button',
      class: className,
      disabled: !s.held,
      dataset: { key: 'continue' },
      onclick: () => s.onContinue(button),
    },
    t('continueToForm'),
  );
  return button;
}

/**
 * The customer's seats with their total. Seats are held from the first click, so the card shows the countdown
 * as soon as there is a hold, each seat's state while a change is on its way, and what went wrong inline.
 */
export class SelectionSummary {
  readonly element = h('div', { class: 'card selection-card' });
  /** Kept across renders and changed only when its text does, so a notice is announced once. */
  private readonly notice = h('div', { class: 'selection-notice', role: 'alert' });
  private readonly body = h('div');

  constructor() {
    this.element.append(this.notice, this.body);
  }

  update(s: SummaryState): void {
    const text = s.notice ?? '';
    if (this.notice.textContent !== text) mount(this.notice, text ? h('p', null, text) : null);
    // Redrawn on every change: a focused button keeps the focus (its successor takes it), so keyboard users stay put.
    const focused = this.body.contains(document.activeElement) ? (document.activeElement as HTMLElement) : null;
    mount(
      this.body,
      h(
        'h2',
        { class: 'card-title' },
        t('selectionTitle'),
        h('span', { class: 'count-pill' }, `${chosenCount(s)}/${s.maxSeats}`),
      ),
      chosenCount(s)
        ? h(
            'ul',
            { class: 'selection-list', role: 'list', 'aria-busy': s.busy ? 'true' : 'false' },
            s.area ? areaItem(s, s.area) : null,
            s.seats.map(({ seat, state }) => {
              const name = seatShortName(seat, s.withSection);
              return h(
                'li',
                { class: `sel-${state}` },
                h(
                  'span',
                  { class: 'sel-main' },
                  h('span', { class: 'sel-name' }, name),
                  h(
                    'span',
                    { class: 'sel-meta' },
                    `${gradeText(seat.grade)} · ${formatPrice(seat.price)}`,
                    state === 'held' ? null : h('span', { class: 'sel-state' }, ` · ${t(stateText[state])}`),
                  ),
                ),
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'icon-btn icon-btn-small',
                    'aria-label': t('removeSeat', { seat: name }),
                    dataset: { key: `remove-${seat.id}` },
                    onclick: () => s.onRemove(seat),
                  },
                  '×',
                ),
              );
            }),
          )
        : h('p', { class: 'empty' }, t('holdStartsOnClick', { minutes: s.holdMinutes })),
      h(
        'div',
        { class: 'total-row' },
        h('span', null, t('total')),
        h('strong', { class: 'total' }, formatPrice(total(s))),
      ),
      s.held ? holdTimer() : null,
      continueButton(s, 'btn btn-primary btn-block'),
      s.held
        ? h(
            'button',
            { type: 'button', class: 'btn btn-block', dataset: { key: 'release' }, onclick: s.onRelease },
            t('releaseHold'),
          )
        : null,
    );
    const key = focused?.dataset.key;
    if (key) this.body.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`)?.focus();
  }
}

/** Phones: the summary sits below the map, so a bar fixed to the bottom carries the total and the next step. */
export function renderMobileBar(bar: HTMLElement, s: SummaryState): void {
  bar.hidden = chosenCount(s) === 0 && !s.notice;
  mount(
    bar,
    h(
      'div',
      { class: 'mobile-bar-info' },
      h('span', null, `${chosenCount(s)}/${s.maxSeats}`),
      h('strong', null, formatPrice(total(s))),
      s.held ? h('span', { class: 'hold-countdown' }) : null,
    ),
    // The card's alert already speaks; this copy is for eyes on a phone whose card is scrolled away.
    s.notice ? h('p', { class: 'mobile-bar-notice', 'aria-hidden': 'true' }, s.notice) : null,
    continueButton(s, 'btn btn-primary'),
  );
}
