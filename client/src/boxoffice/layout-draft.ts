import type { LayoutSection } from '@seatmap/shared';
import type { LayoutSeat } from '../lib/seat-snapshot.ts';

/** One section as the editor holds it: the API's section plus where its first seat sits (layout units). */
export interface SectionDraft extends LayoutSection {
  x: number;
  y: number;
}

/** Rows between stacked sections, as the server leaves between tiers. */
const GAP = 3;

/** Where a new section goes: left-aligned under the lowest one, or at the top of an empty layout. */
export function nextSectionPosition(sections: readonly SectionDraft[]): { x: number; y: number } {
  if (!sections.length) return { x: 0, y: 0 };
  const bottom = Math.max(...sections.map((s) => s.y + s.rows));
  return { x: Math.min(...sections.map((s) => s.x)), y: bottom + GAP - 1 };
}

/** Spreadsheet-style row label for a 0-based row index: A..Z, AA..AZ, BA.. (as the server numbers rows). */
export function rowLabel(index: number): string {
  let n = index + 1;
  let label = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    label = String.fromCharCode(65 + rem) + label;
    n = Math.floor((n - 1) / 26);
  }
  return label;
}

/**
 * The seats a draft will have, for the live preview: section by section, rows labelled across sections (A, B, …
 * continuing), seat `p` of a row at x + p − 1, row `r` at y + r. Ids are only for the preview.
 */
export function draftSeats(sections: readonly SectionDraft[]): LayoutSeat[] {
  const seats: LayoutSeat[] = [];
  let rowIndex = 0;
  for (const section of sections) {
    for (let r = 0; r < section.rows; r++) {
      const row = rowLabel(rowIndex++);
      for (let p = 1; p <= section.seatsPerRow; p++) {
        const seatNumber = row + String(p).padStart(section.seatsPerRow > 99 ? 3 : 2, '0');
        seats.push({
          id: `draft-${seats.length}`,
          seatNumber,
          section: section.name,
          row,
          x: section.x + p - 1,
          y: section.y + r,
          grade: section.grade,
          price: section.price,
        });
      }
    }
  }
  return seats;
}
