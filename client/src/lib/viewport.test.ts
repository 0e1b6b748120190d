import { describe, expect, it } from 'vitest';
import { Viewport } from './viewport.ts';

function viewport(width: number, height: number, scale = 1, ox = 0, oy = 0): Viewport {
  return Object.assign(new Viewport(), { width, height, scale, ox, oy });
}

describe('Viewport', () => {
  it('maps world to screen and back', () => {
    const vp = viewport(800, 600, 2, 10, -20);
    expect(vp.toScreen({ x: 5, y: 30 })).toEqual({ x: 20, y: 40 });
    expect(vp.toWorld({ x: 20, y: 40 })).toEqual({ x: 5, y: 30 });
    expect(vp.sx(5)).toBe(20);
    expect(vp.sy(30)).toBe(40);
  });

  it('zooms around a point that stays under the pointer, within the scale limits', () => {
    const vp = viewport(800, 600, 1, 0, 0);
    const under = vp.toWorld({ x: 200, y: 100 });
    vp.zoomAt(3, { x: 200, y: 100 }, 0.5, 2);
    expect(vp.scale).toBe(2);
    expect(vp.toScreen(under)).toEqual({ x: 200, y: 100 });
    vp.zoomAt(0.01, { x: 0, y: 0 }, 0.5, 2);
    expect(vp.scale).toBe(0.5);
  });

  it('centres a world point, keeps the centre on resize and pans', () => {
    const vp = viewport(400, 300);
    vp.centreOn({ x: 50, y: 60 }, 4);
    expect(vp.toScreen({ x: 50, y: 60 })).toEqual({ x: 200, y: 150 });
    vp.resize(600, 500);
    expect(vp.toScreen({ x: 50, y: 60 })).toEqual({ x: 300, y: 250 });
    vp.panBy(-30, 10);
    expect(vp.toScreen({ x: 50, y: 60 })).toEqual({ x: 270, y: 260 });
  });

  it('fits bounds below a reserved band and frames them centred', () => {
    const vp = viewport(1000, 560);
    const bounds = { minX: 0, minY: 0, maxX: 190, maxY: 90 };
    // Width allows (1000 - 20) / 200 = 4.9, height (560 - 60 - 10) / 100 = 4.9: both limits meet.
    const scale = vp.fitScale(bounds, 10, 60, 10);
    expect(scale).toBeCloseTo(4.9);
    vp.frame(bounds, 4, 10, 60);
    // Centred across: the bounds' middle (x 95) lands on the view's middle.
    expect(vp.sx(95)).toBe(500);
    // Centred in the 500 px below the band: the padded block (100 units → 400 px) starts 50 px below it.
    expect(vp.sy(-5)).toBe(110);
    expect(vp.contains({ x: 500, y: 110 }, 40)).toBe(true);
    expect(vp.contains({ x: 990, y: 110 }, 40)).toBe(false);
  });
});
