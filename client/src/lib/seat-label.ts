import { formatPrice } from './format.ts';
import { lang, type MessageKey, t } from './i18n.ts';
import type { LayoutSeat } from './seat-snapshot.ts';
import { seatPosition } from './seat-store.ts';

export type SeatView = 'available' | 'mine' | 'held' | 'reserved';

/** A layout seat with SPEC §12's flags (the layout always sends them; older snapshots may not). */
export type FlaggedSeat = LayoutSeat & { accessible?: boolean; companion?: boolean };

/** "휠체어석" / "동반자석" for a flagged seat, else null. */
export function flagText(seat: FlaggedSeat): string | null {
  return seat.accessible ? t('accessibleSeat') : seat.companion ? t('companionSeat') : null;
}

const statusKey: Record<SeatView, MessageKey> = {
  available: 'statusAvailable',
  mine: 'statusMine',
  held: 'statusHeld',
  reserved: 'statusReserved',
};

export function statusText(view: SeatView): string {
  return t(statusKey[view]);
}

export function gradeText(grade: string): string {
  return t('gradeSeat', { grade });
}

/** "A열 10번" (with the section first when the venue has several). */
export function seatShortName(seat: Pick<LayoutSeat, 'seatNumber' | 'row' | 'section'>, withSection: boolean): string {
  const name = t('seatName', { row: seat.row, num: seatPosition(seat) });
  if (!withSection) return name;
  const section = /^[\w-]+$/.test(seat.section) ? t('sectionName', { section: seat.section }) : seat.section;
  return lang() === 'en' ? `${section}, ${name}` : `${section} ${name}`;
}

/**
 * Accessible name: "A열 10번, R석, 150,000원, 예매 가능" / "Row A seat 10, R, ₩150,000, available", with "휠체어석" /
 * "wheelchair space" (or the companion seat's name) after the seat's name when it is one.
 */
export function seatLabel(seat: FlaggedSeat, view: SeatView, withSection: boolean): string {
  return [
    seatShortName(seat, withSection),
    flagText(seat),
    gradeText(seat.grade),
    formatPrice(seat.price),
    statusText(view),
  ]
    .filter(Boolean)
    .join(', ');
}

/**
 * A reservation's seats and standing places in one line: "A01 (R석, 150,000원), Floor 입장 번호 12 (GA석, 99,000원)";
 * prices left out when `withPrice` is false.
 */
export function ticketsText(
  r: {
    seats: readonly { seatNumber: string; grade: string; price: number }[];
    areaTickets?: readonly { name: string; grade: string; price: number; entryNumber: number }[];
  },
  withPrice: boolean,
): string {
  const detail = (x: { grade: string; price: number }) =>
    withPrice ? `(${gradeText(x.grade)}, ${formatPrice(x.price)})` : `(${gradeText(x.grade)})`;
  return [
    ...r.seats.map((seat) => `${seat.seatNumber} ${detail(seat)}`),
    ...(r.areaTickets ?? []).map((a) => `${t('entryNumber', { name: a.name, n: a.entryNumber })} ${detail(a)}`),
  ].join(', ');
}

const palette = ['#7c3aed', '#2563eb', '#0891b2', '#16a34a', '#ca8a04', '#db2777', '#ea580c', '#4f46e5'];

/** A colour per grade, most expensive first, stable for a venue. */
export function gradeColours(prices: ReadonlyMap<string, number>): Map<string, string> {
  const grades = [...prices.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return new Map(grades.map(([grade], i) => [grade, palette[i % palette.length]!]));
}
