import type { LayoutAreaInput, LayoutSection } from './api.ts';

/** One seat of a generated layout, ready to insert (see docs/decisions/0002-seat-numbering.md). */
export interface GeneratedSeat {
  seatNumber: string;
  section: string;
  rowLabel: string;
  position: number;
  grade: string;
  price: number;
  x: number;
  y: number;
}

// Abstract units: one seat pitch = 1. The stage sits above y = 0; y grows away from it.
const AISLE = 2;
const TIER_GAP = 3;
const STAGE_CLEARANCE = 6;
const STAND_GAP = 6;
const FIELD_MARGIN = 8;
/** At this size a layout is drawn as a stadium: a field with floor blocks and stands around it. */
export const STADIUM_MIN_SEATS = 10_000;

interface Block {
  section: LayoutSection;
  w: number;
  h: number;
  x: number;
  y: number;
}

interface Packed {
  blocks: Block[];
  width: number;
  height: number;
}

/** Spreadsheet-style row label for a 0-based row index: A..Z, AA..AZ, BA.. */
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

/** `A` + 1 → `A01`; three digits when the section has more than 99 seats per row. */
export function seatNumber(label: string, position: number, seatsPerRow: number): string {
  return label + String(position).padStart(seatsPerRow > 99 ? 3 : 2, '0');
}

/** Lays blocks left to right in tiers no wider than maxWidth, each tier centred; origin at the top-left. */
function packTiers(blocks: Block[], maxWidth: number): Packed {
  const tiers: Block[][] = [];
  let current: Block[] = [];
  let width = 0;
  for (const block of blocks) {
    const next = current.length === 0 ? block.w : width + AISLE + block.w;
    if (current.length > 0 && next > maxWidth) {
      tiers.push(current);
      current = [];
    }
    width = current.length === 0 ? block.w : width + AISLE + block.w;
    current.push(block);
  }
  if (current.length > 0) tiers.push(current);

  const tierWidth = (tier: Block[]) => tier.reduce((sum, b) => sum + b.w, 0) + AISLE * (tier.length - 1);
  const totalWidth = Math.max(0, ...tiers.map(tierWidth));
  let y = 0;
  for (const tier of tiers) {
    let x = Math.floor((totalWidth - tierWidth(tier)) / 2);
    for (const block of tier) {
      block.x = x;
      block.y = y;
      x += block.w + AISLE;
    }
    y += Math.max(...tier.map((b) => b.h)) + TIER_GAP;
  }
  return { blocks: tiers.flat(), width: totalWidth, height: Math.max(0, y - TIER_GAP) };
}

function shift(packed: Packed, dx: number, dy: number): void {
  for (const b of packed.blocks) {
    b.x += Math.round(dx);
    b.y += Math.round(dy);
  }
}

const seatsOf = (blocks: Block[]) => blocks.reduce((sum, b) => sum + b.section.rows * b.section.seatsPerRow, 0);
const compactWidth = (blocks: Block[]) =>
  Math.max(...blocks.map((b) => b.w), Math.ceil(Math.sqrt(seatsOf(blocks)) * 1.6));

/** A hall: blocks in tiers facing the stage, premium sections (listed first) nearest to it. */
function placeHall(blocks: Block[]): void {
  shift(packTiers(blocks, compactWidth(blocks)), 0, STAGE_CLEARANCE);
}

/**
 * A stadium: the leading sections of the first grade are floor blocks on the field in front of the stage;
 * the rest are dealt in turn to the left stand, the right stand and the end stand facing the stage.
 */
function placeStadium(blocks: Block[]): void {
  const firstGrade = blocks[0]!.section.grade;
  const floorCount = blocks.findIndex((b) => b.section.grade !== firstGrade);
  if (floorCount === -1) {
    placeHall(blocks);
    return;
  }
  const floor = packTiers(blocks.slice(0, floorCount), compactWidth(blocks.slice(0, floorCount)));
  const stands = blocks.slice(floorCount);
  const left = stands.filter((_, i) => i % 3 === 0);
  const right = stands.filter((_, i) => i % 3 === 1);
  const end = stands.filter((_, i) => i % 3 === 2);
  const sideWidth = (side: Block[]) => 2 * Math.max(0, ...side.map((b) => b.w)) + AISLE;
  const leftStand = packTiers(left, sideWidth(left));
  const rightStand = packTiers(right, sideWidth(right));

  const fieldHeight = Math.max(floor.height + 2 * STAGE_CLEARANCE, leftStand.height, rightStand.height);
  const fieldWidth = Math.max(floor.width + 2 * FIELD_MARGIN, Math.round(fieldHeight / 1.5));
  const fieldX = leftStand.width + STAND_GAP;
  const totalWidth = fieldX + fieldWidth + STAND_GAP + rightStand.width;

  shift(floor, fieldX + (fieldWidth - floor.width) / 2, STAGE_CLEARANCE);
  shift(rightStand, fieldX + fieldWidth + STAND_GAP, 0);
  const endStand = packTiers(end, totalWidth);
  shift(endStand, (totalWidth - endStand.width) / 2, fieldHeight + STAND_GAP);
}

/** Whether every section says where it goes (x and y), none does (auto layout), or — invalid — some do. */
export function sectionPlacement(sections: readonly LayoutSection[]): 'manual' | 'auto' | 'mixed' {
  const placed = sections.filter((s) => s.x !== undefined && s.y !== undefined).length;
  if (placed === 0) return 'auto';
  return placed === sections.length ? 'manual' : 'mixed';
}

/**
 * Seats for a performance, section by section in layout order. Row labels are unique per performance and
 * continue across sections (A..Z, AA..); seat numbers are row label + position (`A01`). x/y are abstract
 * units with the stage at the top; a layout of STADIUM_MIN_SEATS or more is drawn as a stadium. Sections that all
 * carry x/y are placed there instead (x/y = their first seat); the box-office editor does that.
 * This is the one generator: the server creates performances with it and the editor previews them with it.
 */
export function generateSeats(sections: LayoutSection[]): GeneratedSeat[] {
  const blocks: Block[] = sections.map((section) => ({
    section,
    w: section.seatsPerRow - 1,
    h: section.rows - 1,
    x: 0,
    y: 0,
  }));
  if (blocks.length === 0) return [];
  if (sectionPlacement(sections) === 'manual') {
    for (const block of blocks) {
      block.x = block.section.x!;
      block.y = block.section.y!;
    }
  } else if (seatsOf(blocks) >= STADIUM_MIN_SEATS) placeStadium(blocks);
  else placeHall(blocks);

  const seats: GeneratedSeat[] = [];
  let rowIndex = 0;
  for (const { section, x, y } of blocks) {
    for (let r = 0; r < section.rows; r++) {
      const label = rowLabel(rowIndex++);
      for (let p = 1; p <= section.seatsPerRow; p++) {
        seats.push({
          seatNumber: seatNumber(label, p, section.seatsPerRow),
          section: section.name,
          rowLabel: label,
          position: p,
          grade: section.grade,
          price: section.price,
          x: x + p - 1,
          y: y + r,
        });
      }
    }
  }
  return seats;
}

/** A generated seat with its flags, as the layout shows it. */
export interface PreviewSeat extends GeneratedSeat {
  accessible: boolean;
  companion: boolean;
}

/**
 * The seats and standing areas a create-performance body makes, before it is sent: what `GET …/layout` will show
 * (without ids). Seat numbers in the flag lists that match no seat are ignored here; the server refuses them.
 */
export function previewLayout(layout: {
  sections: LayoutSection[];
  areas?: LayoutAreaInput[] | undefined;
  accessibleSeats?: string[] | undefined;
  companionSeats?: string[] | undefined;
}): { seats: PreviewSeat[]; areas: LayoutAreaInput[] } {
  const accessible = new Set(layout.accessibleSeats ?? []);
  const companion = new Set(layout.companionSeats ?? []);
  return {
    seats: generateSeats(layout.sections).map((seat) => ({
      ...seat,
      accessible: accessible.has(seat.seatNumber),
      companion: companion.has(seat.seatNumber),
    })),
    areas: layout.areas ?? [],
  };
}
