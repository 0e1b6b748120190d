import { t } from '../lib/i18n.ts';
import type { FlaggedSeat, SeatView } from '../lib/seat-label.ts';
import type { SeatStore } from '../lib/seat-store.ts';
import type { Viewport } from '../lib/viewport.ts';
import { blend, COLOURS, paintSeat, paintSeatFlag, textOn } from './seat-paint.ts';

/** What one frame of the map needs: the seats, how to colour them and the current pan/zoom. */
export interface MapView {
  store: SeatStore;
  colours: Map<string, string>;
  viewOf(i: number): SeatView;
  vp: Viewport;
  hoverIdx: number;
  /** The standing area under the pointer, or -1. */
  hoverArea: number;
  /** The first seat of every row, where the row label goes (asked for only when seats are drawn). */
  rowStarts(): readonly number[];
}

/** Seats smaller than this on screen are shown as section blocks (the overview). */
export const OVERVIEW_BELOW_PX = 7;

/** A seat's drawn side in pixels: a little less than the seat pitch, so neighbours have a gap. */
export function seatSize(store: Pick<SeatStore, 'pitch'>, vp: Pick<Viewport, 'scale'>): number {
  return store.pitch * vp.scale * 0.84;
}

export function drawStage(ctx: CanvasRenderingContext2D, v: MapView): void {
  const { bounds, pitch } = v.store;
  const { vp } = v;
  const sh = Math.min(Math.max(pitch * 3 * vp.scale, 26), 44);
  const sw = Math.max((bounds.maxX - bounds.minX) * 0.5 * vp.scale, 180);
  const x = vp.sx((bounds.minX + bounds.maxX) / 2) - sw / 2;
  const y = vp.sy(bounds.minY - pitch / 2) - Math.max(pitch * 1.5 * vp.scale, 12) - sh;
  if (y + sh < 0) return;
  ctx.beginPath();
  ctx.roundRect(x, y, sw, sh, Math.min(12, sh / 3));
  ctx.fillStyle = COLOURS.stage;
  ctx.fill();
  const fontSize = Math.max(11, Math.min(22, sh * 0.45));
  ctx.fillStyle = '#f8fafc';
  ctx.font = `700 ${fontSize}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(t('stage'), x + sw / 2, y + sh / 2);
}

export function drawSections(ctx: CanvasRenderingContext2D, v: MapView): void {
  const { store, colours, vp } = v;
  const pad = store.pitch * 0.6;
  for (const section of store.sections) {
    const x = vp.sx(section.minX - pad);
    const y = vp.sy(section.minY - pad);
    const w = (section.maxX - section.minX + pad * 2) * vp.scale;
    const hgt = (section.maxY - section.minY + pad * 2) * vp.scale;
    if (x > vp.width || y > vp.height || x + w < 0 || y + hgt < 0) continue;
    const left = store.countAvailable(section.indices);
    const ratio = left / section.indices.length;
    // Fuller sections are drawn stronger; the label takes whichever ink reads on the colour actually shown.
    const fill = blockFill(colours.get(section.grade), left, 0.35 + 0.6 * ratio);
    ctx.beginPath();
    ctx.roundRect(x, y, w, hgt, Math.min(6, w / 6, hgt / 6));
    ctx.fillStyle = fill;
    ctx.fill();
    ctx.lineWidth = 1;
    ctx.strokeStyle = 'rgba(15,23,42,0.35)';
    ctx.stroke();
    if (w > 28 && hgt > 16)
      blockLabel(ctx, fill, section.name, left, { x, y, w, h: hgt }, Math.max(9, Math.min(14, w / 6)));
  }
}

/** A block's colour: its grade's, stronger the fuller it is (`alpha`), grey when nothing is left. */
function blockFill(gradeColour: string | undefined, left: number, alpha: number): string {
  return blend(
    left === 0 ? COLOURS.reservedFill : (gradeColour ?? '#64748b'),
    left === 0 ? 0.6 : alpha,
    COLOURS.mapBackground,
  );
}

/** A block's name and, when it is tall enough, what is left ("잔여 1,234" or "매진"), in ink that reads on it. */
function blockLabel(
  ctx: CanvasRenderingContext2D,
  fill: string,
  name: string,
  left: number,
  box: { x: number; y: number; w: number; h: number },
  size: number,
): void {
  const cx = box.x + box.w / 2;
  const cy = box.y + box.h / 2;
  ctx.fillStyle = textOn(fill);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.font = `700 ${size}px system-ui, sans-serif`;
  const twoLines = box.h > size * 3;
  ctx.fillText(name, cx, cy - (twoLines ? size * 0.6 : 0), box.w - 4);
  if (!twoLines) return;
  ctx.font = `500 ${size * 0.85}px system-ui, sans-serif`;
  ctx.fillText(
    left === 0 ? t('soldOut') : t('leftShort', { n: left.toLocaleString() }),
    cx,
    cy + size * 0.7,
    box.w - 4,
  );
}

/**
 * Standing areas (SPEC §12) as blocks in their grade's colour, stronger the more places are left, with their name
 * and the live count of free places — at every zoom, since an area is chosen by quantity, not by place.
 */
export function drawAreas(ctx: CanvasRenderingContext2D, v: MapView): void {
  const { store, colours, vp } = v;
  store.areas.forEach((area, i) => {
    const x = vp.sx(area.x);
    const y = vp.sy(area.y);
    const w = area.width * vp.scale;
    const hgt = area.height * vp.scale;
    if (x > vp.width || y > vp.height || x + w < 0 || y + hgt < 0) return;
    const ratio = area.capacity ? area.available / area.capacity : 0;
    const fill = blockFill(colours.get(area.grade), area.available, 0.45 + 0.5 * ratio);
    ctx.beginPath();
    ctx.roundRect(x, y, w, hgt, Math.min(10, w / 6, hgt / 6));
    ctx.fillStyle = fill;
    ctx.fill();
    ctx.lineWidth = v.hoverArea === i ? 3 : 1.5;
    ctx.setLineDash(v.hoverArea === i ? [] : [6, 4]);
    ctx.strokeStyle = v.hoverArea === i ? COLOURS.ink : 'rgba(15,23,42,0.45)';
    ctx.stroke();
    ctx.setLineDash([]);
    if (w >= 36 && hgt >= 18) {
      blockLabel(ctx, fill, area.name, area.available, { x, y, w, h: hgt }, Math.max(10, Math.min(18, w / 8, hgt / 3)));
    }
  });
}

export function drawSeats(ctx: CanvasRenderingContext2D, v: MapView): void {
  const { store, colours, viewOf, vp } = v;
  const size = seatSize(store, vp);
  const half = size / 2 + 2;
  const seats = store.seats as readonly FlaggedSeat[];
  // Wheelchair and companion marks need room to read; smaller seats show them in the tooltip and list only.
  const flagged = size >= 11;
  for (let i = 0; i < seats.length; i++) {
    const s = seats[i]!;
    const sx = vp.sx(s.x);
    const sy = vp.sy(s.y);
    if (sx < -half || sy < -half || sx > vp.width + half || sy > vp.height + half) continue;
    const view = viewOf(i);
    const colour = colours.get(s.grade) ?? '#64748b';
    paintSeat(ctx, sx, sy, size, view, colour);
    if (flagged && view === 'available' && (s.accessible || s.companion)) {
      paintSeatFlag(ctx, sx, sy, size, s.accessible ? 'accessible' : 'companion', colour);
    }
  }
  if (v.hoverIdx >= 0) {
    const s = seats[v.hoverIdx]!;
    ctx.beginPath();
    ctx.roundRect(vp.sx(s.x) - size / 2 - 2, vp.sy(s.y) - size / 2 - 2, size + 4, size + 4, 5);
    ctx.strokeStyle = '#0f172a';
    ctx.lineWidth = 2;
    ctx.stroke();
  }
  if (size >= 8) drawLabels(ctx, v, size);
}

function drawLabels(ctx: CanvasRenderingContext2D, v: MapView, size: number): void {
  const { store, vp } = v;
  ctx.fillStyle = COLOURS.text;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  ctx.font = `600 ${Math.min(13, size * 0.6)}px system-ui, sans-serif`;
  for (const i of size >= 12 ? v.rowStarts() : []) {
    const s = store.seats[i]!;
    const sx = vp.sx(s.x - store.pitch * 0.75);
    const sy = vp.sy(s.y);
    if (sx < -20 || sy < -20 || sx > vp.width + 20 || sy > vp.height + 20) continue;
    ctx.fillText(s.row, sx, sy);
  }
  if (store.sections.length > 1) {
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.font = `700 ${Math.max(11, Math.min(15, size * 0.75))}px system-ui, sans-serif`;
    for (const section of store.sections) {
      const sx = vp.sx((section.minX + section.maxX) / 2);
      const sy = vp.sy(section.minY - store.pitch * 0.7);
      if (sx < -100 || sy < -20 || sx > vp.width + 100 || sy > vp.height + 20) continue;
      ctx.fillText(section.name, sx, sy);
    }
  }
}
