import { h } from '../lib/dom.ts';
import { t } from '../lib/i18n.ts';
import { SeatHitIndex } from '../lib/seat-hit-index.ts';
import type { SeatView } from '../lib/seat-label.ts';
import { STATUS_CODE } from '../lib/seat-snapshot.ts';
import type { SeatStore, SectionInfo } from '../lib/seat-store.ts';
import { type Point, Viewport } from '../lib/viewport.ts';
import { announce } from './announcer.ts';
import { drawAreas, drawSeats, drawSections, drawStage, OVERVIEW_BELOW_PX, seatSize } from './seat-canvas-draw.ts';

export interface SeatCanvasOptions {
  store: SeatStore;
  colours: Map<string, string>;
  viewOf(i: number): SeatView;
  labelOf(i: number): string;
  onActivate(i: number): void;
  /** A standing area clicked (its index in `store.areas`): areas are chosen by quantity, beside the map. */
  onArea?(i: number): void;
  /** A standing area's name for its tooltip. */
  areaLabelOf?(i: number): string;
}

const KEYBOARD_SEAT_PX = 22;
/** Room above the seats for the stage when the whole venue is shown. */
const STAGE_RESERVE_PX = 60;
/** Free pixels around the venue when it is fitted to the view. */
const FIT_MARGIN_PX = 12;

/**
 * The seat map on a canvas: draws only what is visible, once per animation frame however many changes
 * arrive; pans (drag), zooms (wheel, pinch, buttons) and hit-tests clicks through a grid index. Keyboard
 * users move a roving focus proxy (a real button named after the seat) with the arrow keys.
 */
export class SeatCanvas {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly proxy: HTMLButtonElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly hits: SeatHitIndex;
  private readonly vp = new Viewport();
  private frame = 0;
  private fitted = false;
  /** Once the customer pans or zooms, resizes keep their view instead of re-fitting. */
  private userMoved = false;
  private focusIdx: number;
  private hoverIdx = -1;
  private hoverArea = -1;
  private readonly pointers = new Map<number, { x: number; y: number }>();
  private drag: { x: number; y: number; moved: boolean; pinch?: number } | null = null;
  private readonly resize: ResizeObserver;

  constructor(private readonly opts: SeatCanvasOptions) {
    const { store } = opts;
    this.canvas = h('canvas', { class: 'seat-canvas', 'aria-hidden': 'true' });
    this.proxy = h('button', {
      type: 'button',
      class: 'seat-focus',
      onkeydown: (e: KeyboardEvent) => this.onKey(e),
      onclick: () => this.opts.onActivate(this.focusIdx),
      onfocus: () => this.ensureFocusVisible(),
      onblur: () => this.invalidate(),
    });
    this.element = h(
      'div',
      { class: 'map-wrap' },
      this.canvas,
      this.proxy,
      h(
        'div',
        { class: 'zoom-controls' },
        h(
          'button',
          {
            type: 'button',
            class: 'icon-btn',
            'aria-label': t('zoomIn'),
            title: t('zoomIn'),
            onclick: () => this.zoomBy(1.5),
          },
          '+',
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'icon-btn',
            'aria-label': t('zoomOut'),
            title: t('zoomOut'),
            onclick: () => this.zoomBy(1 / 1.5),
          },
          '−',
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'icon-btn',
            'aria-label': t('zoomFit'),
            title: t('zoomFit'),
            onclick: () => this.fit(),
          },
          '⤢',
        ),
      ),
    );
    const ctx = this.canvas.getContext('2d');
    if (!ctx) throw new Error('canvas 2d unavailable');
    this.ctx = ctx;
    this.focusIdx = Math.max(0, store.status.indexOf(STATUS_CODE.available));
    this.hits = new SeatHitIndex(store);
    this.bindPointer();
    this.resize = new ResizeObserver(() => this.measure());
    this.resize.observe(this.element);
  }

  destroy(): void {
    this.resize.disconnect();
    cancelAnimationFrame(this.frame);
  }

  /** Schedules one redraw on the next animation frame. */
  invalidate(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /** Client (page) coordinates of a canvas point; null while the map is not on the page (the list is shown). */
  private toClient(p: Point): Point | null {
    if (!this.canvas.isConnected) return null;
    const rect = this.canvas.getBoundingClientRect();
    return { x: rect.left + p.x, y: rect.top + p.y };
  }

  /** Screen (client) coordinates of a seat's centre, or null when it is not drawn as a seat right now. */
  seatScreenPoint(seatId: string): Point | null {
    const i = this.opts.store.indexById.get(seatId);
    const seat = i === undefined ? undefined : this.opts.store.seats[i];
    if (!seat || this.isOverview()) return null;
    return this.toClient(this.vp.toScreen(seat));
  }

  /** Screen (client) coordinates of a section's centre. */
  sectionScreenPoint(name: string): Point | null {
    const section = this.opts.store.sections.find((s) => s.name === name);
    return section ? this.toClient(this.vp.toScreen(centreOf(section))) : null;
  }

  /** Screen (client) coordinates of a standing area's centre. */
  areaScreenPoint(areaId: string): Point | null {
    const a = this.opts.store.areas.find((x) => x.id === areaId);
    return a ? this.toClient(this.vp.toScreen({ x: a.x + a.width / 2, y: a.y + a.height / 2 })) : null;
  }

  /** Zooms so a seat is drawn at keyboard size and centred. */
  zoomToSeat(i: number): void {
    const seat = this.opts.store.seats[i];
    if (!seat) return;
    this.userMoved = true;
    this.vp.centreOn(seat, Math.max(this.vp.scale, KEYBOARD_SEAT_PX / this.opts.store.pitch));
    this.invalidate();
  }

  fit(): void {
    const { bounds, pitch } = this.opts.store;
    this.userMoved = false;
    this.vp.frame(bounds, this.fitScale(), pitch, STAGE_RESERVE_PX);
    this.invalidate();
  }

  zoomBy(factor: number, centre: Point = { x: this.vp.width / 2, y: this.vp.height / 2 }): void {
    this.userMoved = true;
    this.vp.zoomAt(factor, centre, this.fitScale() * 0.8, 60 / this.opts.store.pitch);
    this.invalidate();
  }

  private zoomToSection(section: SectionInfo): void {
    this.userMoved = true;
    const { pitch } = this.opts.store;
    this.vp.centreOn(centreOf(section), Math.min(this.vp.fitScale(section, pitch * 4), 40 / pitch));
    this.invalidate();
  }

  /** Whole venue in view below the stage; small halls are capped so seats do not turn giant. */
  private fitScale(): number {
    const { bounds, pitch } = this.opts.store;
    return Math.min(this.vp.fitScale(bounds, pitch, STAGE_RESERVE_PX, FIT_MARGIN_PX), 34 / pitch);
  }

  /** True while the map shows section blocks rather than seats. */
  isOverview(): boolean {
    return seatSize(this.opts.store, this.vp) < OVERVIEW_BELOW_PX;
  }

  /**
   * Sizes the canvas to its box and fits the venue on first use. The ResizeObserver calls it on every resize;
   * the page calls it once right after mounting, so the first frame already has the final map height.
   */
  measure(): void {
    const rect = this.element.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) return;
    const dpr = globalThis.devicePixelRatio || 1;
    const first = !this.fitted;
    this.vp.resize(rect.width, rect.height);
    this.canvas.width = Math.round(rect.width * dpr);
    this.canvas.height = Math.round(rect.height * dpr);
    this.canvas.style.width = `${rect.width}px`;
    this.canvas.style.height = `${rect.height}px`;
    if (first || !this.userMoved) {
      this.fitted = true;
      this.fit();
      if (first) this.shrinkToContent();
    }
    this.draw();
  }

  /** A wide venue on a narrow screen would leave empty space under it: make the map only as tall as needed. */
  private shrinkToContent(): void {
    const { bounds, pitch } = this.opts.store;
    const needed = Math.ceil(STAGE_RESERVE_PX + (bounds.maxY - bounds.minY + pitch) * this.vp.scale + 24);
    if (needed < this.vp.height - 8) this.element.style.height = `${Math.max(260, needed)}px`;
  }

  private hitSeat(p: Point): number {
    const w = this.vp.toWorld(p);
    return this.hits.seatAt(w.x, w.y);
  }

  private hitSection(p: Point): SectionInfo | undefined {
    const w = this.vp.toWorld(p);
    return this.hits.sectionAt(w.x, w.y);
  }

  private bindPointer(): void {
    const c = this.canvas;
    c.addEventListener('pointerdown', (e) => {
      c.setPointerCapture(e.pointerId);
      this.pointers.set(e.pointerId, { x: e.offsetX, y: e.offsetY });
      this.drag = { x: e.offsetX, y: e.offsetY, moved: false };
      if (this.pointers.size === 2) this.drag.pinch = this.pinchDistance();
    });
    c.addEventListener('pointermove', (e) => {
      const p = this.pointers.get(e.pointerId);
      if (!p || !this.drag) {
        this.hover({ x: e.offsetX, y: e.offsetY });
        return;
      }
      if (this.pointers.size === 2 && this.drag.pinch) {
        p.x = e.offsetX;
        p.y = e.offsetY;
        const d = this.pinchDistance();
        const pts = [...this.pointers.values()];
        this.zoomBy(d / this.drag.pinch, { x: (pts[0]!.x + pts[1]!.x) / 2, y: (pts[0]!.y + pts[1]!.y) / 2 });
        this.drag.pinch = d;
        this.drag.moved = true;
        return;
      }
      const dx = e.offsetX - p.x;
      const dy = e.offsetY - p.y;
      if (!this.drag.moved && Math.hypot(e.offsetX - this.drag.x, e.offsetY - this.drag.y) < 5) return;
      this.drag.moved = true;
      this.userMoved = true;
      c.classList.add('dragging');
      p.x = e.offsetX;
      p.y = e.offsetY;
      this.vp.panBy(dx, dy);
      this.invalidate();
    });
    const end = (e: PointerEvent) => {
      const wasClick = this.drag && !this.drag.moved && this.pointers.size === 1;
      this.pointers.delete(e.pointerId);
      if (this.pointers.size === 0) {
        c.classList.remove('dragging');
        this.drag = null;
      }
      if (wasClick && e.type === 'pointerup') this.click({ x: e.offsetX, y: e.offsetY });
    };
    c.addEventListener('pointerup', end);
    c.addEventListener('pointercancel', end);
    c.addEventListener('pointerleave', () => {
      if (this.hoverIdx !== -1 || this.hoverArea !== -1) {
        this.hoverIdx = -1;
        this.hoverArea = -1;
        this.invalidate();
      }
    });
    c.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        this.zoomBy(Math.exp(-e.deltaY * (e.ctrlKey ? 0.01 : 0.0015)), { x: e.offsetX, y: e.offsetY });
      },
      { passive: false },
    );
  }

  private pinchDistance(): number {
    const [a, b] = [...this.pointers.values()];
    return a && b ? Math.max(1, Math.hypot(a.x - b.x, a.y - b.y)) : 1;
  }

  /** The standing area under a canvas point, or -1. */
  private hitArea(p: Point): number {
    const w = this.vp.toWorld(p);
    return this.opts.store.areas.findIndex(
      (a) => w.x >= a.x && w.x <= a.x + a.width && w.y >= a.y && w.y <= a.y + a.height,
    );
  }

  private click(p: Point): void {
    const area = this.hitArea(p);
    if (area >= 0) {
      this.opts.onArea?.(area);
      return;
    }
    if (this.isOverview()) {
      const section = this.hitSection(p);
      if (section) this.zoomToSection(section);
      return;
    }
    const i = this.hitSeat(p);
    if (i < 0) return;
    this.focusIdx = i;
    this.opts.onActivate(i);
    this.invalidate();
  }

  private hover(p: Point): void {
    const area = this.hitArea(p);
    const i = area >= 0 || this.isOverview() ? -1 : this.hitSeat(p);
    const section = area < 0 && this.isOverview() ? this.hitSection(p) : undefined;
    this.canvas.style.cursor = i >= 0 || area >= 0 || section ? 'pointer' : 'grab';
    this.canvas.title =
      area >= 0
        ? (this.opts.areaLabelOf?.(area) ?? '')
        : i >= 0
          ? this.opts.labelOf(i)
          : section
            ? t('mapOverviewHelp')
            : '';
    if (i !== this.hoverIdx || area !== this.hoverArea) {
      this.hoverIdx = i;
      this.hoverArea = area;
      this.invalidate();
    }
  }

  private onKey(e: KeyboardEvent): void {
    const { store } = this.opts;
    let next: number | undefined;
    switch (e.key) {
      case 'ArrowLeft':
        next = store.neighbour(this.focusIdx, -1, 0);
        break;
      case 'ArrowRight':
        next = store.neighbour(this.focusIdx, 1, 0);
        break;
      case 'ArrowUp':
        next = store.neighbour(this.focusIdx, 0, -1);
        break;
      case 'ArrowDown':
        next = store.neighbour(this.focusIdx, 0, 1);
        break;
      case 'Home':
        next = store.rowEnd(this.focusIdx, 'first');
        break;
      case 'End':
        next = store.rowEnd(this.focusIdx, 'last');
        break;
      case '+':
      case '=':
        this.zoomBy(1.5);
        break;
      case '-':
        this.zoomBy(1 / 1.5);
        break;
      default:
        return;
    }
    e.preventDefault();
    if (next === undefined) return;
    this.focusIdx = next;
    this.ensureFocusVisible();
    announce(this.opts.labelOf(next));
  }

  /** Keeps the keyboard focus seat on screen and large enough to see. */
  private ensureFocusVisible(): void {
    const seat = this.opts.store.seats[this.focusIdx];
    if (!seat) return;
    if (this.isOverview() || this.opts.store.pitch * this.vp.scale < 12) this.zoomToSeat(this.focusIdx);
    else if (!this.vp.contains(this.vp.toScreen(seat), 40)) this.vp.centreOn(seat);
    this.proxy.setAttribute('aria-label', this.opts.labelOf(this.focusIdx));
    this.invalidate();
  }

  /** Refreshes the focus proxy's name (its seat may have changed state). */
  refreshFocusLabel(): void {
    this.proxy.setAttribute('aria-label', this.opts.labelOf(this.focusIdx));
  }

  private draw(): void {
    const { ctx } = this;
    const dpr = globalThis.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, this.vp.width, this.vp.height);
    const view = {
      ...this.opts,
      vp: this.vp,
      hoverIdx: this.hoverIdx,
      hoverArea: this.hoverArea,
      rowStarts: () => this.hits.rowStarts,
    };
    drawStage(ctx, view);
    drawAreas(ctx, view);
    if (this.isOverview()) drawSections(ctx, view);
    else drawSeats(ctx, view);
    this.placeProxy();
  }

  /** Puts the focus proxy over the focused seat so its focus ring is the seat's ring. */
  private placeProxy(): void {
    const seat = this.opts.store.seats[this.focusIdx];
    if (!seat || !this.proxy.isConnected) return;
    const size = Math.max(12, seatSize(this.opts.store, this.vp) + 6);
    const p = this.vp.toScreen(seat);
    const visible = !this.isOverview() && this.vp.contains(p);
    this.proxy.style.transform = visible
      ? `translate(${p.x - size / 2}px, ${p.y - size / 2}px)`
      : 'translate(8px, 8px)';
    this.proxy.style.width = `${size}px`;
    this.proxy.style.height = `${size}px`;
    if (!this.proxy.getAttribute('aria-label')) this.refreshFocusLabel();
  }
}

function centreOf(b: { minX: number; minY: number; maxX: number; maxY: number }): Point {
  return { x: (b.minX + b.maxX) / 2, y: (b.minY + b.maxY) / 2 };
}
