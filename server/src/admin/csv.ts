import type { AdminReservation, PresaleCodeList } from '@seatmap/shared';

/** Excel reads a UTF-8 file as the local code page unless it starts with a byte-order mark. */
const BOM = '\uFEFF';

export const RESERVATION_CSV_HEADER = [
  'reservationNumber',
  'status',
  'customerName',
  'customerPhone',
  'customerEmail',
  'seats',
  'grades',
  'seatCount',
  'totalPrice',
  'createdAt',
  'cancelledAt',
  'areaTickets',
] as const;

/**
 * One field, RFC 4180: quoted when it holds a comma, quote, CR or LF, quotes doubled. A text field that a
 * spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe (OWASP CSV injection).
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(fields: (string | number | null)[]): string {
  return fields.map(csvField).join(',');
}

/**
 * A performance's reservations as a CSV document (BOM, CRLF line ends, one row per reservation); standing places
 * (SPEC §12) last, as `<area> #<entry number>`.
 */
export function reservationsCsv(reservations: AdminReservation[]): string {
  const lines = [csvRow([...RESERVATION_CSV_HEADER])];
  for (const r of reservations) {
    lines.push(
      csvRow([
        r.reservationNumber,
        r.status,
        r.customer.name,
        r.customer.phone,
        r.customer.email,
        r.seats.map((s) => s.seatNumber).join(' '),
        [...new Set(r.seats.map((s) => s.grade))].join(' '),
        r.seats.length,
        r.totalPrice,
        r.createdAt,
        r.cancelledAt,
        r.areaTickets.map((t) => `${t.name} #${t.entryNumber}`).join(' '),
      ]),
    );
  }
  return csvDocument(lines);
}

/** A presale window's codes as a CSV document (same conventions): code, uses. */
export function presaleCodesCsv(list: PresaleCodeList): string {
  const lines = [csvRow(['code', 'uses']), ...list.codes.map((c) => csvRow([c.code, c.uses]))];
  return csvDocument(lines);
}

/** Rows joined as a CSV file: BOM first, CRLF after every row. */
function csvDocument(lines: string[]): string {
  return `${BOM}${lines.join('\r\n')}\r\n`;
}
