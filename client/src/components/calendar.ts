import { h, mount } from '../lib/dom.ts';
import { formatDate, formatMonth } from '../lib/format.ts';
import { lang, t } from '../lib/i18n.ts';

export interface CalendarOptions {
  /** Bookable venue-local dates, YYYY-MM-DD ascending. */
  dates: string[];
  selected: string | null;
  onSelect(date: string): void;
}

const weekdays = {
  ko: ['일', '월', '화', '수', '목', '금', '토'],
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
};

function ym(date: string): [number, number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
}

/** A month grid where only bookable dates are buttons that can be pressed; arrows move between them. */
export function calendar(opts: CalendarOptions): HTMLElement {
  const bookable = new Set(opts.dates);
  const first = opts.dates[0];
  const last = opts.dates.at(-1);
  let [year, month] = ym(opts.selected ?? first ?? new Date().toISOString().slice(0, 10));
  let selected = opts.selected;
  const host = h('div', { class: 'calendar' });

  const draw = (focusDate?: string) => {
    const title = formatMonth(year, month);
    const startDay = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
    const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const canPrev = first !== undefined && `${year}-${String(month).padStart(2, '0')}` > first.slice(0, 7);
    const canNext = last !== undefined && `${year}-${String(month).padStart(2, '0')}` < last.slice(0, 7);
    const cells: HTMLElement[] = [];
    for (let i = 0; i < startDay; i++) cells.push(h('span', { class: 'cal-cell cal-empty', 'aria-hidden': 'true' }));
    for (let d = 1; d <= days; d++) {
      const date = `${year}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
      const ok = bookable.has(date);
      cells.push(
        h(
          'button',
          {
            type: 'button',
            class: `cal-cell cal-day${ok ? ' bookable' : ''}${date === selected ? ' selected' : ''}`,
            disabled: !ok,
            'aria-pressed': ok ? String(date === selected) : false,
            'aria-label': `${formatDate(date)}, ${ok ? t('dateAvailable') : t('dateUnavailable')}`,
            dataset: { date },
            tabindex: ok && date === (selected ?? opts.dates.find((x) => x.startsWith(date.slice(0, 7)))) ? '0' : '-1',
            onclick: () => {
              selected = date;
              draw(date);
              opts.onSelect(date);
            },
            onkeydown: (e: KeyboardEvent) => moveFocus(e, date),
          },
          String(d),
        ),
      );
    }
    mount(
      host,
      h(
        'div',
        { class: 'cal-head' },
        h(
          'button',
          {
            type: 'button',
            class: 'icon-btn',
            'aria-label': t('prevMonth'),
            disabled: !canPrev,
            onclick: () => shift(-1),
          },
          '‹',
        ),
        h('h3', { class: 'cal-title', 'aria-live': 'polite' }, title),
        h(
          'button',
          {
            type: 'button',
            class: 'icon-btn',
            'aria-label': t('nextMonth'),
            disabled: !canNext,
            onclick: () => shift(1),
          },
          '›',
        ),
      ),
      h(
        'div',
        { class: 'cal-grid', role: 'group', 'aria-label': title },
        weekdays[lang()].map((w) => h('span', { class: 'cal-weekday', 'aria-hidden': 'true' }, w)),
        cells,
      ),
    );
    if (focusDate) host.querySelector<HTMLElement>(`[data-date="${focusDate}"]`)?.focus();
  };

  const shift = (delta: number) => {
    month += delta;
    if (month < 1) [year, month] = [year - 1, 12];
    if (month > 12) [year, month] = [year + 1, 1];
    draw();
  };

  // Arrow keys jump between bookable dates only (disabled days cannot take focus anyway).
  const moveFocus = (e: KeyboardEvent, date: string) => {
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
    if (!step) return;
    e.preventDefault();
    const i = opts.dates.indexOf(date) + step;
    const next = opts.dates[i];
    if (!next) return;
    [year, month] = ym(next);
    draw(next);
  };

  draw();
  return host;
}
