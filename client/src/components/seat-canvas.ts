import { h } from '../lib/dom.ts';
import { t } from '../lib/i18n.ts';
import { SeatHitIndex } from '../lib/seat-hit-index.ts';
import type { SeatView } from '../lib/seat-label.ts';
import type { SeatStore, SectionInfo } from '../lib/seat-store.ts';
import { announce } from './announcer.ts';
import { drawSeats, drawSections, drawStage, type MapView, OVERVIEW_BELOW_PX } from './seat-canvas-draw.ts';

export interface SeatCanvasOptions {
  store: SeatStore;
  colours: Map<string, string>;
  viewOf(i: number): SeatView;
  labelOf(i: number): string;
  onActivate(i: number): void;
}

const KEYBOARD_SEAT_PX = 22;
/** Room above the seats for the stage when the whole venue is shown. */
const STAGE_RESERVE_PX = 60;

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
  private scale = 1;
  private ox = 0;
  private oy = 0;
  private width = 0;
  private height = 0;
  private frame = 0;
  private fitted = false;
  /** Once the customer pans or zooms, resizes keep their view instead of re-fitting. */
  private userMoved = false;
  private focusIdx: number;
  private hoverIdx = -1;
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
    this.focusIdx = Math.max(0, store.status.indexOf(0));
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

  /** Screen (client) coordinates of a seat's centre, or null when it is not drawn as a seat right now. */
  seatScreenPoint(seatId: string): { x: number; y: number } | null {
    const i = this.opts.store.indexById.get(seatId);
    const seat = i === undefined ? undefined : this.opts.store.seats[i];
    if (!seat || this.isOverview()) return null;
    const rect = this.canvas.getBoundingClientRect();
    return { x: rect.left + seat.x * this.scale + this.ox, y: rect.top + seat.y * this.scale + this.oy };
  }

  /** Screen (client) coordinates of a section's centre. */
  sectionScreenPoint(name: string): { x: number; y: number } | null {
    const section = this.opts.store.sections.find((s) => s.name === name);
    if (!section) return null;
    const rect = this.canvas.getBoundingClientRect();
    return {
      x: rect.left + ((section.minX + section.maxX) / 2) * this.scale + this.ox,
      y: rect.top + ((section.minY + section.maxY) / 2) * this.scale + this.oy,
    };
  }

  /** Zooms so a seat is drawn at keyboard size and centred. */
  zoomToSeat(i: number): void {
    const seat = this.opts.store.seats[i];
    if (!seat) return;
    this.userMoved = true;
    this.scale = Math.max(this.scale, KEYBOARD_SEAT_PX / this.opts.store.pitch);
    this.ox = this.width / 2 - seat.x * this.scale;
    this.oy = this.height / 2 - seat.y * this.scale;
    this.invalidate();
  }

  fit(): void {
    const { bounds, pitch } = this.opts.store;
    this.userMoved = false;
    this.scale = this.fitScale();
    const top =
      STAGE_RESERVE_PX + (this.height - STAGE_RESERVE_PX - (bounds.maxY - bounds.minY + pitch) * this.scale) / 2;
    this.ox = (this.width - (bounds.maxX + bounds.minX) * this.scale) / 2;
    this.oy = top - (bounds.minY - pitch / 2) * this.scale;
    this.invalidate();
  }

  zoomBy(factor: number, cx = this.width / 2, cy = this.height / 2): void {
    this.userMoved = true;
    const { pitch } = this.opts.store;
    const minScale = this.fitScale() * 0.8;
    const maxScale = 60 / pitch;
    const next = Math.min(maxScale, Math.max(minScale, this.scale * factor));
    const f = next / this.scale;
    this.ox = cx - (cx - this.ox) * f;
    this.oy = cy - (cy - this.oy) * f;
    this.scale = next;
    this.invalidate();
  }

  private zoomToSection(section: SectionInfo): void {
    this.userMoved = true;
    const { pitch } = this.opts.store;
    const w = section.maxX - section.minX + pitch * 4;
    const hgt = section.maxY - section.minY + pitch * 4;
    this.scale = Math.min(this.width / w, this.height / hgt, 40 / pitch);
    this.ox = this.width / 2 - ((section.minX + section.maxX) / 2) * this.scale;
    this.oy = this.height / 2 - ((section.minY + section.maxY) / 2) * this.scale;
    this.invalidate();
  }

  /** Whole venue in view below the stage; small halls are capped so seats do not turn giant. */
  private fitScale(): number {
    const { bounds, pitch } = this.opts.store;
    return Math.min(
      (this.width - 24) / (bounds.maxX - bounds.minX + pitch),
      (this.height - STAGE_RESERVE_PX - 12) / (bounds.maxY - bounds.minY + pitch),
      34 / pitch,
    );
  }

  /** True while the map shows section blocks rather than seats. */
  isOverview(): boolean {
    return this.opts.store.pitch * this.scale * 0.84 < OVERVIEW_BELOW_PX;
  }

  private measure(): void {
    const rect = this.element.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) return;
    const dpr = globalThis.devicePixelRatio || 1;
    const first = !this.fitted;
    const cx = this.width / 2;
    const cy = this.height / 2;
    this.width = rect.width;
    this.height = rect.height;
    this.canvas.width = Math.round(rect.width * dpr);
    this.canvas.height = Math.round(rect.height * dpr);
    this.canvas.style.width = `${rect.width}px`;
    this.canvas.style.height = `${rect.height}px`;
    if (first || !this.userMoved) {
      this.fitted = true;
      this.fit();
      if (first) this.shrinkToContent();
    } else {
      this.ox += this.width / 2 - cx;
      this.oy += this.height / 2 - cy;
    }
    this.draw();
  }

  /** A wide venue on a narrow screen would leave empty space under it: make the map only as tall as needed. */
  private shrinkToContent(): void {
    const { bounds, pitch } = this.opts.store;
    const needed = Math.ceil(STAGE_RESERVE_PX + (bounds.maxY - bounds.minY + pitch) * this.scale + 24);
    if (needed < this.height - 8) this.element.style.height = `${Math.max(260, needed)}px`;
  }

  private hitSeat(sx: number, sy: number): number {
    return this.hits.seatAt((sx - this.ox) / this.scale, (sy - this.oy) / this.scale);
  }

  private hitSection(sx: number, sy: number): SectionInfo | undefined {
    return this.hits.sectionAt((sx - this.ox) / this.scale, (sy - this.oy) / this.scale);
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
        this.hover(e.offsetX, e.offsetY);
        return;
      }
      if (this.pointers.size === 2 && this.drag.pinch) {
        p.x = e.offsetX;
        p.y = e.offsetY;
        const d = this.pinchDistance();
        const pts = [...this.pointers.values()];
        this.zoomBy(d / this.drag.pinch, (pts[0]!.x + pts[1]!.x) / 2, (pts[0]!.y + pts[1]!.y) / 2);
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
      this.ox += dx;
      this.oy += dy;
      this.invalidate();
    });
    const end = (e: PointerEvent) => {
      const wasClick = this.drag && !this.drag.moved && this.pointers.size === 1;
      this.pointers.delete(e.pointerId);
      if (this.pointers.size === 0) {
        c.classList.remove('dragging');
        this.drag = null;
      }
      if (wasClick && e.type === 'pointerup') this.click(e.offsetX, e.offsetY);
    };
    c.addEventListener('pointerup', end);
    c.addEventListener('pointercancel', end);
    c.addEventListener('pointerleave', () => {
      if (this.hoverIdx !== -1) {
        this.hoverIdx = -1;
        this.invalidate();
      }
    });
    c.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        this.zoomBy(Math.exp(-e.deltaY * (e.ctrlKey ? 0.01 : 0.0015)), e.offsetX, e.offsetY);
      },
      { passive: false },
    );
  }

  private pinchDistance(): number {
    const [a, b] = [...this.pointers.values()];
    return a && b ? Math.max(1, Math.hypot(a.x - b.x, a.y - b.y)) : 1;
  }

  private click(sx: number, sy: number): void {
    if (this.isOverview()) {
      const section = this.hitSection(sx, sy);
      if (section) this.zoomToSection(section);
      return;
    }
    const i = this.hitSeat(sx, sy);
    if (i < 0) return;
    this.focusIdx = i;
    this.opts.onActivate(i);
    this.invalidate();
  }

  private hover(sx: number, sy: number): void {
    const i = this.isOverview() ? -1 : this.hitSeat(sx, sy);
    const section = this.isOverview() ? this.hitSection(sx, sy) : undefined;
    this.canvas.style.cursor = i >= 0 || section ? 'pointer' : 'grab';
    this.canvas.title = i >= 0 ? this.opts.labelOf(i) : section ? t('mapOverviewHelp') : '';
    if (i !== this.hoverIdx) {
      this.hoverIdx = i;
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
    const sx = seat.x * this.scale + this.ox;
    const sy = seat.y * this.scale + this.oy;
    const margin = 40;
    if (this.isOverview() || this.opts.store.pitch * this.scale < 12) this.zoomToSeat(this.focusIdx);
    else if (sx < margin || sy < margin || sx > this.width - margin || sy > this.height - margin) {
      this.ox += this.width / 2 - sx;
      this.oy += this.height / 2 - sy;
    }
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
    ctx.clearRect(0, 0, this.width, this.height);
    const view: MapView = {
      ...this.opts,
      scale: this.scale,
      ox: this.ox,
      oy: this.oy,
      width: this.width,
      height: this.height,
      hoverIdx: this.hoverIdx,
      rowStarts: this.hits.rowStarts,
    };
    drawStage(ctx, view);
    if (this.isOverview()) drawSections(ctx, view);
    else drawSeats(ctx, view);
    this.placeProxy();
  }

  /** Puts the focus proxy over the focused seat so its focus ring is the seat's ring. */
  private placeProxy(): void {
    const seat = this.opts.store.seats[this.focusIdx];
    if (!seat || !this.proxy.isConnected) return;
    const size = Math.max(12, this.opts.store.pitch * this.scale * 0.84 + 6);
    const sx = seat.x * this.scale + this.ox;
    const sy = seat.y * this.scale + this.oy;
    const visible = !this.isOverview() && sx > 0 && sy > 0 && sx < this.width && sy < this.height;
    this.proxy.style.transform = visible ? `translate(${sx - size / 2}px, ${sy - size / 2}px)` : 'translate(8px, 8px)';
    this.proxy.style.width = `${size}px`;
    this.proxy.style.height = `${size}px`;
    if (!this.proxy.getAttribute('aria-label')) this.refreshFocusLabel();
  }
}
