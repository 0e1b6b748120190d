export interface Point {
  x: number;
  y: number;
}

export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/**
 * The map's pan and zoom: layout ("world") units to canvas pixels, screen = world × scale + offset. Pure, so the
 * maths is tested without a canvas; the canvas only asks it where things are and tells it what the customer did.
 */
export class Viewport {
  scale = 1;
  ox = 0;
  oy = 0;
  width = 0;
  height = 0;

  /** Screen x of a world x (kept scalar for the drawing loops over 50,000 seats). */
  sx(x: number): number {
    return x * this.scale + this.ox;
  }

  sy(y: number): number {
    return y * this.scale + this.oy;
  }

  toScreen(p: Point): Point {
    return { x: this.sx(p.x), y: this.sy(p.y) };
  }

  toWorld(p: Point): Point {
    return { x: (p.x - this.ox) / this.scale, y: (p.y - this.oy) / this.scale };
  }

  /** Whether a screen point is inside the view, at least `margin` pixels from its edges. */
  contains(p: Point, margin = 0): boolean {
    return p.x >= margin && p.y >= margin && p.x <= this.width - margin && p.y <= this.height - margin;
  }

  /** A new canvas size; the world point at the centre stays at the centre. */
  resize(width: number, height: number): void {
    this.ox += (width - this.width) / 2;
    this.oy += (height - this.height) / 2;
    this.width = width;
    this.height = height;
  }

  panBy(dx: number, dy: number): void {
    this.ox += dx;
    this.oy += dy;
  }

  /** Zooms by `factor` around a screen point (it stays under the pointer), the scale kept within [min, max]. */
  zoomAt(factor: number, centre: Point, min: number, max: number): void {
    const next = Math.min(max, Math.max(min, this.scale * factor));
    const f = next / this.scale;
    this.ox = centre.x - (centre.x - this.ox) * f;
    this.oy = centre.y - (centre.y - this.oy) * f;
    this.scale = next;
  }

  /** Puts a world point at the centre of the view, at `scale`. */
  centreOn(p: Point, scale = this.scale): void {
    this.scale = scale;
    this.ox = this.width / 2 - p.x * scale;
    this.oy = this.height / 2 - p.y * scale;
  }

  /** The largest scale at which `bounds` (plus `pad` world units around) fits the view below `reserveTop` px. */
  fitScale(bounds: Bounds, pad: number, reserveTop = 0, margin = 0): number {
    return Math.min(
      (this.width - margin * 2) / (bounds.maxX - bounds.minX + pad),
      (this.height - reserveTop - margin) / (bounds.maxY - bounds.minY + pad),
    );
  }

  /** Shows `bounds` at `scale`, centred across and centred in the height below `reserveTop`. */
  frame(bounds: Bounds, scale: number, pad: number, reserveTop = 0): void {
    this.scale = scale;
    const top = reserveTop + (this.height - reserveTop - (bounds.maxY - bounds.minY + pad) * scale) / 2;
    this.ox = (this.width - (bounds.maxX + bounds.minX) * scale) / 2;
    this.oy = top - (bounds.minY - pad / 2) * scale;
  }
}
