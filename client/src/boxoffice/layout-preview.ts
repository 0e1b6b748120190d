import { areaLabel } from '../components/area-picker.ts';
import { SeatCanvas } from '../components/seat-canvas.ts';
import { h, mount } from '../lib/dom.ts';
import { gradeColours, type SeatView, seatLabel } from '../lib/seat-label.ts';
import type { LayoutSeat } from '../lib/seat-snapshot.ts';
import { SeatStore, type StoreArea } from '../lib/seat-store.ts';
import { bt } from './messages.ts';

export interface MapPreviewOptions {
  /** The region's name ("미리 보기"). */
  label: string;
  /** How a seat looks (default: available). */
  viewOf?(store: SeatStore, i: number): SeatView;
  /** A seat clicked or chosen with Enter/Space (default: nothing). */
  onSeat?(store: SeatStore, i: number): void;
}

export interface MapPreview {
  element: HTMLElement;
  /** Draws these seats and standing areas (a new layout: refits). */
  show(seats: readonly LayoutSeat[], areas?: readonly StoreArea[]): SeatStore;
  /** Redraws after seat looks changed. */
  redraw(): void;
  destroy(): void;
}

/**
 * The customer's seat map (same canvas, painter and keyboard model) over seats the box office is editing: the live
 * preview of a draft layout, or a performance's seats to mark not for sale.
 */
export function mapPreview(o: MapPreviewOptions): MapPreview {
  const host = h('div', { class: 'bo-preview-map' });
  const element = h('div', { class: 'bo-preview' }, host);
  let canvas: SeatCanvas | null = null;
  let store: SeatStore | null = null;
  const withSection = () => (store?.sections.length ?? 0) > 1;
  return {
    element,
    show(seats, areas = []) {
      canvas?.destroy();
      const s = new SeatStore({ version: 0, seats, codes: new Uint8Array(seats.length), areas });
      store = s;
      const viewOf = (i: number): SeatView => o.viewOf?.(s, i) ?? 'available';
      canvas = new SeatCanvas({
        store: s,
        colours: gradeColours(s.gradePrices),
        viewOf,
        labelOf: (i) => seatLabel(s.seats[i]!, viewOf(i), withSection()),
        onActivate: (i) => o.onSeat?.(s, i),
        areaLabelOf: (i) => areaLabel(s.areas[i]!),
      });
      canvas.element.setAttribute('role', 'region');
      canvas.element.setAttribute('aria-label', o.label);
      mount(
        host,
        canvas.element,
        seats.length || areas.length ? null : h('p', { class: 'bo-muted' }, bt('previewEmpty')),
      );
      canvas.measure();
      return s;
    },
    redraw() {
      canvas?.invalidate();
      canvas?.refreshFocusLabel();
    },
    destroy() {
      canvas?.destroy();
    },
  };
}
