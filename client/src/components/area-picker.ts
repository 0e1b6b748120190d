import { h, mount } from '../lib/dom.ts';
import { formatPrice } from '../lib/format.ts';
import type { AreaPick } from '../lib/hold-controller.ts';
import { t } from '../lib/i18n.ts';
import { gradeText } from '../lib/seat-label.ts';
import type { StoreArea } from '../lib/seat-store.ts';

export interface AreaPickerState {
  areas: readonly StoreArea[];
  /** The customer's standing places, if any. */
  chosen: AreaPick | null;
  /** Seats + places per hold; the quantity offered stops there (and at the places left). */
  maxPlaces: number;
  onChoose(areaId: string, quantity: number): void;
}

/** "Floor 스탠딩, GA석, 99,000원, 잔여 480" — the area's name on the map (tooltip) and here. */
export function areaLabel(area: StoreArea): string {
  const params = { name: area.name, grade: area.grade, price: formatPrice(area.price), left: area.available };
  return area.available > 0 ? t('areaLabel', params) : t('areaSoldOut', params);
}

/**
 * The standing areas of a performance (SPEC §12) beside the map: each with its price and live count of free
 * places, a quantity and a button — areas are chosen by quantity, never by place, and this is where keyboard and
 * screen-reader users choose them (a click on an area's block on the map brings the focus here).
 */
export class AreaPicker {
  readonly element = h('section', { class: 'card area-card', 'aria-labelledby': 'area-card-title' });

  update(s: AreaPickerState): void {
    this.element.hidden = s.areas.length === 0;
    if (!s.areas.length) return;
    const focusedKey = this.element.contains(document.activeElement)
      ? (document.activeElement as HTMLElement).dataset.key
      : undefined;
    mount(
      this.element,
      h('h2', { class: 'card-title', id: 'area-card-title' }, t('areasTitle')),
      h('p', { class: 'hint' }, t('areaHelp')),
      h(
        'ul',
        { class: 'area-list', role: 'list' },
        s.areas.map((area) => this.row(area, s)),
      ),
    );
    if (focusedKey) this.element.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusedKey)}"]`)?.focus();
  }

  /** Moves the focus to an area's quantity (after a click on its block). */
  focus(areaId: string): void {
    this.element.querySelector<HTMLElement>(`[data-key="qty-${CSS.escape(areaId)}"]`)?.focus();
  }

  private row(area: StoreArea, s: AreaPickerState): HTMLElement {
    const mine = s.chosen?.id === area.id ? s.chosen.quantity : 0;
    const most = Math.min(s.maxPlaces, area.available + mine);
    const id = `area-qty-${area.id}`;
    const select = h(
      'select',
      { id, dataset: { key: `qty-${area.id}` }, disabled: most < 1 },
      Array.from({ length: Math.max(1, most) }, (_, k) =>
        h('option', { value: String(k + 1), selected: k + 1 === (mine || 1) }, String(k + 1)),
      ),
    );
    return h(
      'li',
      { class: mine ? 'area-item is-mine' : 'area-item' },
      h(
        'div',
        { class: 'area-main' },
        h('strong', null, area.name),
        h('span', { class: 'sel-meta' }, `${gradeText(area.grade)} · ${formatPrice(area.price)}`),
        h(
          'span',
          { class: area.available ? 'area-left' : 'area-left is-out' },
          area.available ? t('leftShort', { n: area.available.toLocaleString() }) : t('soldOut'),
        ),
      ),
      h(
        'div',
        { class: 'area-controls' },
        h('label', { for: id, class: 'sr-only' }, t('areaQuantity', { name: area.name })),
        select,
        h(
          'button',
          {
            type: 'button',
            class: 'btn btn-small btn-primary',
            disabled: most < 1,
            'aria-label': t(mine ? 'areaChangeNamed' : 'areaChooseNamed', { name: area.name }),
            dataset: { key: `choose-${area.id}` },
            onclick: () => s.onChoose(area.id, Number(select.value)),
          },
          mine ? t('areaChange') : t('areaChoose'),
        ),
        mine
          ? h(
              'button',
              {
                type: 'button',
                class: 'btn btn-small',
                'aria-label': t('areaRemove', { name: area.name }),
                dataset: { key: `remove-${area.id}` },
                onclick: () => s.onChoose(area.id, 0),
              },
              '×',
            )
          : null,
      ),
    );
  }
}
