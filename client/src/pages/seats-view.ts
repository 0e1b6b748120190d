import { AreaPicker, type AreaPickerState } from '../components/area-picker.ts';
import { bestAvailableForm } from '../components/best-available.ts';
import { SeatCanvas } from '../components/seat-canvas.ts';
import { seatLegend } from '../components/seat-legend.ts';
import { SeatList } from '../components/seat-list.ts';
import { renderMobileBar, SelectionSummary, type SummaryState } from '../components/selection-summary.ts';
import { h, mount } from '../lib/dom.ts';
import { otherLang, t } from '../lib/i18n.ts';
import type { FlaggedSeat, SeatView } from '../lib/seat-label.ts';
import type { SeatStore } from '../lib/seat-store.ts';

export interface SeatPageViewOptions {
  store: SeatStore;
  colours: Map<string, string>;
  title: string;
  /** The performance's date and time, in the UI language. */
  when: string | null;
  venue: string;
  backHref: string;
  maxSeats: number;
  withSection: boolean;
  viewOf(i: number): SeatView;
  labelOf(i: number): string;
  onSeat(i: number): void;
  onBestAvailable(count: number, grade: string, accessible: boolean): void;
  /** A standing area's name for the map's tooltip. */
  areaLabelOf(i: number): string;
  /** The presale code card, when the performance is in a presale window. */
  presale: HTMLElement | null;
}

// The customer's choice of map or list survives re-renders (a language switch) and other performances.
let viewMode: 'map' | 'list' = 'map';

/**
 * The seat page's DOM: header, map or list, legend, the summary card with best available, and the phone bar.
 * It holds no booking state: the page tells it what changed.
 */
export class SeatPageView {
  readonly canvas: SeatCanvas;
  private list: SeatList | null = null;
  private readonly summary = new SelectionSummary();
  private readonly areas = new AreaPicker();
  private readonly mobileBar = h('div', { class: 'mobile-bar', hidden: true });
  /** Both words always laid out (one hidden), so the badge keeps its size when the connection changes. */
  private readonly liveBadge = h(
    'span',
    { class: 'live-badge offline', role: 'status' },
    h('span', { class: 'live-on' }, t('live')),
    h('span', { class: 'live-off' }, t('liveReconnecting')),
  );
  private readonly mapHost = h('div', { class: 'map-host' });
  private readonly mapBtn = h(
    'button',
    { type: 'button', class: 'seg-btn', onclick: () => this.setMode('map') },
    t('mapView'),
  );
  private readonly listBtn = h(
    'button',
    { type: 'button', class: 'seg-btn', onclick: () => this.setMode('list') },
    t('listView'),
  );

  constructor(
    root: HTMLElement,
    private readonly o: SeatPageViewOptions,
  ) {
    const { store } = o;
    this.canvas = new SeatCanvas({
      store,
      colours: o.colours,
      viewOf: o.viewOf,
      labelOf: o.labelOf,
      onActivate: o.onSeat,
      onArea: (i) => this.areas.focus(store.areas[i]?.id ?? ''),
      areaLabelOf: o.areaLabelOf,
    });
    this.canvas.element.setAttribute('role', 'region');
    this.canvas.element.setAttribute('aria-label', t('mapKeyboardEntry'));
    mount(
      root,
      h(
        'div',
        { class: 'seat-header' },
        h('a', { class: 'back-link', href: o.backHref }, `‹ ${t('back')}`),
        h(
          'div',
          null,
          h('h1', { class: 'page-title', lang: otherLang(o.title) }, o.title),
          h(
            'p',
            { class: 'seat-sub' },
            o.when,
            o.when && o.venue ? ' · ' : null,
            o.venue ? h('span', { lang: otherLang(o.venue) }, o.venue) : null,
          ),
        ),
      ),
      h(
        'div',
        { class: 'seat-layout' },
        h(
          'section',
          { class: 'map-col', 'aria-label': t('mapView') },
          h(
            'div',
            { class: 'map-toolbar' },
            h('div', { class: 'segmented', role: 'group' }, this.mapBtn, this.listBtn),
            this.liveBadge,
          ),
          seatLegend(store, o.colours),
          this.mapHost,
        ),
        h(
          'aside',
          { class: 'seat-aside' },
          o.presale,
          this.summary.element,
          this.areas.element,
          bestAvailableForm(
            [...new Set(store.seats.map((s) => s.grade))],
            o.maxSeats,
            o.onBestAvailable,
            (store.seats as readonly FlaggedSeat[]).some((s) => s.accessible),
          ),
        ),
      ),
      this.mobileBar,
    );
    this.showMode();
    // Before the first paint: the map's height is settled now, so nothing below it moves afterwards.
    this.canvas.measure();
  }

  setLive(connected: boolean): void {
    this.liveBadge.classList.toggle('offline', !connected);
  }

  /** Seats whose look changed (or all of them). */
  redraw(changed: readonly number[] | 'all'): void {
    this.canvas.invalidate();
    this.canvas.refreshFocusLabel();
    this.list?.update(changed);
  }

  showSummary(state: SummaryState): void {
    this.summary.update(state);
    renderMobileBar(this.mobileBar, state);
  }

  /** The standing areas with their live counts and the customer's places. */
  showAreas(state: AreaPickerState): void {
    this.areas.update(state);
  }

  destroy(): void {
    this.canvas.destroy();
  }

  private setMode(mode: 'map' | 'list'): void {
    viewMode = mode;
    this.showMode();
  }

  private showMode(): void {
    const { store } = this.o;
    this.mapBtn.setAttribute('aria-pressed', String(viewMode === 'map'));
    this.listBtn.setAttribute('aria-pressed', String(viewMode === 'list'));
    if (viewMode === 'map') {
      const help = store.seats.length > 5000 ? `${t('mapOverviewHelp')} ${t('mapHelp')}` : t('mapHelp');
      mount(this.mapHost, this.canvas.element, h('p', { class: 'hint' }, help));
      return;
    }
    this.list ??= new SeatList({
      store,
      viewOf: this.o.viewOf,
      onActivate: this.o.onSeat,
      withSection: this.o.withSection,
    });
    mount(this.mapHost, this.list.element);
  }
}
