import { type LayoutAreaInput, type LayoutSection, previewLayout } from '@seatmap/shared';
import type { FlaggedSeat } from '../lib/seat-label.ts';
import type { StoreArea } from '../lib/seat-store.ts';

/** One section as the editor holds it: the API's section with where its first seat sits (layout units). */
export interface SectionDraft extends LayoutSection {
  x: number;
  y: number;
}

/** The layout part of a create-performance body, as the editor builds it. */
export interface LayoutDraft {
  sections: SectionDraft[];
  areas: LayoutAreaInput[];
  accessibleSeats: string[];
  companionSeats: string[];
}

/** Rows between stacked blocks, as the server leaves between tiers. */
const GAP = 3;

/** Where a new block goes: left-aligned under the lowest one (sections and areas), or at the top. */
export function nextPosition(blocks: readonly { x: number; y: number; rows?: number; height?: number }[]): {
  x: number;
  y: number;
} {
  if (!blocks.length) return { x: 0, y: 0 };
  const bottom = Math.max(...blocks.map((b) => b.y + (b.rows ?? b.height ?? 0)));
  return { x: Math.min(...blocks.map((b) => b.x)), y: bottom + GAP - 1 };
}

/**
 * What the customers' map of a draft will show, for the live preview: the seats exactly as the server will number
 * and place them (the shared generator) with their wheelchair/companion flags, and the standing areas with all
 * their places free. Ids are only for the preview.
 */
export function draftLayout(draft: LayoutDraft): { seats: FlaggedSeat[]; areas: StoreArea[] } {
  const { seats, areas } = previewLayout(draft);
  return {
    seats: seats.map((seat, i) => ({
      id: `draft-${i}`,
      seatNumber: seat.seatNumber,
      section: seat.section,
      row: seat.rowLabel,
      x: seat.x,
      y: seat.y,
      grade: seat.grade,
      price: seat.price,
      accessible: seat.accessible,
      companion: seat.companion,
    })),
    areas: areas.map((area, i) => ({ ...area, id: `draft-area-${i}`, available: area.capacity })),
  };
}

/** "A01, a02 B03" → ["A01", "A02", "B03"]: seat numbers typed or pasted, in any case, without repeats. */
export function parseSeatNumbers(text: string): string[] {
  return [
    ...new Set(
      text
        .toUpperCase()
        .split(/[\s,;]+/)
        .filter(Boolean),
    ),
  ];
}
