import { h, mount } from '../lib/dom.ts';
import { formatPrice } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';
import { type FlaggedSeat, flagText, gradeText, type SeatView, seatLabel, statusText } from '../lib/seat-label.ts';

/** The map's mark of a flagged seat, as text: ♿ for a wheelchair space, ◯ for a companion seat. */
const flagMark = (seat: FlaggedSeat) => (seat.accessible ? '\u267F' : '\u25EF');

import { type SeatStore, seatPosition } from '../lib/seat-store.ts';

export interface SeatListOptions {
  store: SeatStore;
  viewOf(i: number): SeatView;
  onActivate(i: number): void;
  withSection: boolean;
}

/**
 * The seat map as a table (section, row, seat, grade, price, status) with a select button per seat — the
 * alternative to the canvas for screen-reader and keyboard users. Big venues list one section at a time.
 */
export class SeatList {
  readonly element: HTMLElement;
  private readonly rows = new Map<number, HTMLTableRowElement>();
  private readonly body = h('tbody');
  private section: string;

  constructor(private readonly opts: SeatListOptions) {
    const { store } = opts;
    this.section = store.sections[0]?.name ?? '';
    const many = store.sections.length > 1;
    const select = many
      ? h(
          'label',
          { class: 'field-inline' },
          h('span', null, t('section')),
          h(
            'select',
            {
              onchange: (e: Event) => {
                this.section = (e.target as HTMLSelectElement).value;
                this.fill();
              },
            },
            store.sections.map((s) =>
              h(
                'option',
                { value: s.name },
                `${s.name} · ${t('gradeSeat', { grade: s.grade })} (${store.countAvailable(s.indices)})`,
              ),
            ),
          ),
        )
      : null;
    this.element = h(
      'div',
      { class: 'seat-list' },
      select,
      h(
        'div',
        { class: 'table-scroll', tabindex: '-1' },
        h(
          'table',
          { class: 'seat-table' },
          h('caption', { class: 'sr-only' }, t('listView')),
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              [t('section'), t('row'), t('seat'), t('grade'), t('price'), t('status'), t('select')].map((c) =>
                h('th', { scope: 'col' }, c),
              ),
            ),
          ),
          this.body,
        ),
      ),
    );
    this.fill();
  }

  private fill(): void {
    this.rows.clear();
    const indices = this.opts.store.sections.find((s) => s.name === this.section)?.indices ?? [];
    mount(
      this.body,
      indices.map((i) => this.row(i)),
    );
  }

  private row(i: number): HTMLTableRowElement {
    const seat = this.opts.store.seats[i]! as FlaggedSeat;
    const view = this.opts.viewOf(i);
    const flag = flagText(seat);
    const selectable = view === 'available' || view === 'mine';
    const tr = h(
      'tr',
      { class: `seat-row is-${view}` },
      h('td', null, seat.section),
      h('td', null, seat.row),
      h(
        'td',
        null,
        seatPosition(seat),
        flag
          ? h('span', { class: 'seat-flag' }, ' ', h('span', { 'aria-hidden': 'true' }, flagMark(seat)), ` ${flag}`)
          : null,
      ),
      h('td', null, gradeText(seat.grade)),
      h('td', { class: 'num' }, formatPrice(seat.price)),
      h('td', null, h('span', { class: `status-chip is-${view}` }, statusText(view))),
      h(
        'td',
        null,
        h(
          'button',
          {
            type: 'button',
            class: `btn btn-small ${view === 'mine' ? 'btn-primary' : ''}`,
            'aria-label': seatLabel(seat, view, this.opts.withSection),
            'aria-pressed': String(view === 'mine'),
            disabled: !selectable,
            onclick: () => this.opts.onActivate(i),
          },
          view === 'mine' ? t('deselect') : t('select'),
        ),
      ),
    );
    this.rows.set(i, tr);
    return tr;
  }

  /** Re-renders the rows whose seats changed (only those on screen). */
  update(changed: readonly number[] | 'all'): void {
    if (changed === 'all') {
      this.fill();
      return;
    }
    for (const i of changed) {
      const old = this.rows.get(i);
      if (!old) continue;
      const focused = old.contains(document.activeElement);
      const next = this.row(i);
      old.replaceWith(next);
      if (focused) next.querySelector('button')?.focus();
    }
  }
}
