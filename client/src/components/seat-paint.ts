import type { SeatView } from '../lib/seat-label.ts';

export const COLOURS = {
  mine: '#e11d48',
  mineRing: '#881337',
  heldFill: '#e5e7eb',
  heldStripe: '#6b7280',
  reservedFill: '#9ca3af',
  reservedMark: '#f9fafb',
  focus: '#1d4ed8',
  text: '#334155',
  ink: '#0f172a',
  stage: '#1e293b',
  /** The map's background (.map-wrap). */
  mapBackground: '#f8fafc',
};

/**
 * Draws one seat as a rounded square at (cx, cy) with side `size`. States differ by shape as well as colour:
 * mine has a check and a ring, held is striped, reserved is crossed out, available is plain.
 */
export function paintSeat(
  ctx: CanvasRenderingContext2D,
  cx: number,
  cy: number,
  size: number,
  view: SeatView,
  gradeColour: string,
): void {
  const half = size / 2;
  const x = cx - half;
  const y = cy - half;
  const detailed = size >= 9;
  ctx.beginPath();
  if (detailed) ctx.roundRect(x, y, size, size, Math.min(4, size / 4));
  else ctx.rect(x, y, size, size);
  switch (view) {
    case 'available':
      ctx.fillStyle = gradeColour;
      ctx.fill();
      break;
    case 'mine':
      ctx.fillStyle = COLOURS.mine;
      ctx.fill();
      if (detailed) {
        ctx.lineWidth = Math.max(1.5, size / 10);
        ctx.strokeStyle = COLOURS.mineRing;
        ctx.stroke();
        ctx.beginPath();
        ctx.moveTo(x + size * 0.25, y + size * 0.52);
        ctx.lineTo(x + size * 0.43, y + size * 0.7);
        ctx.lineTo(x + size * 0.76, y + size * 0.32);
        ctx.strokeStyle = '#fff';
        ctx.lineWidth = Math.max(1.5, size / 8);
        ctx.lineCap = 'round';
        ctx.lineJoin = 'round';
        ctx.stroke();
      }
      break;
    case 'held':
      ctx.fillStyle = COLOURS.heldFill;
      ctx.fill();
      if (detailed) {
        ctx.save();
        ctx.clip();
        ctx.beginPath();
        const step = Math.max(3, size / 4);
        for (let d = -size; d < size * 2; d += step) {
          ctx.moveTo(x + d, y);
          ctx.lineTo(x + d - size, y + size);
        }
        ctx.strokeStyle = COLOURS.heldStripe;
        ctx.lineWidth = Math.max(1, size / 12);
        ctx.stroke();
        ctx.restore();
      } else {
        ctx.strokeStyle = COLOURS.heldStripe;
        ctx.lineWidth = 1;
        ctx.stroke();
      }
      break;
    case 'reserved':
      ctx.fillStyle = COLOURS.reservedFill;
      ctx.fill();
      if (detailed) {
        const m = size * 0.28;
        ctx.beginPath();
        ctx.moveTo(x + m, y + m);
        ctx.lineTo(x + size - m, y + size - m);
        ctx.moveTo(x + size - m, y + m);
        ctx.lineTo(x + m, y + size - m);
        ctx.strokeStyle = COLOURS.reservedMark;
        ctx.lineWidth = Math.max(1.2, size / 10);
        ctx.lineCap = 'round';
        ctx.stroke();
      }
      break;
  }
}

/**
 * The mark of a wheelchair space (♿) or of a companion seat (a ring) over an available seat, in the ink that
 * reads on its grade colour. Shape, not colour, tells them apart.
 */
export function paintSeatFlag(
  ctx: CanvasRenderingContext2D,
  cx: number,
  cy: number,
  size: number,
  flag: 'accessible' | 'companion',
  gradeColour: string,
): void {
  const ink = textOn(gradeColour);
  if (flag === 'accessible') {
    ctx.fillStyle = ink;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.font = `700 ${Math.round(size * 0.78)}px "DejaVu Sans", system-ui, sans-serif`;
    ctx.fillText('\u267F', cx, cy + size * 0.04);
    return;
  }
  ctx.beginPath();
  ctx.arc(cx, cy, size * 0.24, 0, Math.PI * 2);
  ctx.strokeStyle = ink;
  ctx.lineWidth = Math.max(1.5, size / 9);
  ctx.stroke();
}

/** A legend swatch drawn with the same painter as the map, so the legend always matches. */
export function swatch(
  view: SeatView,
  gradeColour: string | string[],
  size = 20,
  flag?: 'accessible' | 'companion',
): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  const dpr = globalThis.devicePixelRatio || 1;
  canvas.width = size * dpr;
  canvas.height = size * dpr;
  canvas.style.width = `${size}px`;
  canvas.style.height = `${size}px`;
  canvas.setAttribute('aria-hidden', 'true');
  canvas.className = 'swatch';
  const ctx = canvas.getContext('2d');
  if (ctx) {
    ctx.scale(dpr, dpr);
    const colours = Array.isArray(gradeColour) ? gradeColour : [gradeColour];
    paintSeat(ctx, size / 2, size / 2, size - 2, view, colours[0] ?? '#94a3b8');
    if (colours.length > 1) {
      // "Available" takes every grade's colour: one vertical band each.
      ctx.save();
      ctx.beginPath();
      ctx.roundRect(1, 1, size - 2, size - 2, Math.min(4, size / 4));
      ctx.clip();
      const band = (size - 2) / colours.length;
      colours.forEach((c, i) => {
        ctx.fillStyle = c;
        ctx.fillRect(1 + i * band, 1, band + 0.5, size - 2);
      });
      ctx.restore();
    }
    if (flag) paintSeatFlag(ctx, size / 2, size / 2, size - 2, flag, colours[0] ?? '#94a3b8');
  }
  return canvas;
}

function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(1 + i * 2, 3 + i * 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

/** `#rrggbb` drawn at `alpha` over `under`, as the colour the eye gets. */
export function blend(hex: string, alpha: number, under: string): string {
  const mix = (i: number) => {
    const a = Number.parseInt(hex.slice(1 + i * 2, 3 + i * 2), 16);
    const b = Number.parseInt(under.slice(1 + i * 2, 3 + i * 2), 16);
    return Math.round(a * alpha + b * (1 - alpha))
      .toString(16)
      .padStart(2, '0');
  };
  return `#${mix(0)}${mix(1)}${mix(2)}`;
}

/** Dark or white text, whichever reads better on `background` (one of them always reaches 4.5:1). */
export function textOn(background: string): string {
  const bg = luminance(background);
  const dark = (bg + 0.05) / (luminance(COLOURS.ink) + 0.05);
  const light = 1.05 / (bg + 0.05);
  return dark >= light ? COLOURS.ink : '#ffffff';
}
