import { type ColumnarLayout, decodeColumn, type Layout, type LayoutColumn, MAX_COUNTER_DIGITS } from '@seatmap/shared';
import type { SeatLayout } from './seat-layouts.ts';
import { type EncodedBody, encodedBody } from './seat-map-cache.ts';

/*
 * The layout in columns (`GET …/layout?form=columns`, decision 0013): SPEC §9's layout body with its seats turned
 * into one column per field. Made from the served layout body itself, so every field the layout carries (seat
 * flags, areas, whatever comes next) is in it without a change here.
 */

type Seat = Record<string, unknown>;

/** Equal values share one key: primitives by type and value, nested values by their JSON. */
const keyOf = (v: unknown) =>
  v !== null && typeof v === 'object' ? `j${JSON.stringify(v)}` : `${typeof v}:${String(v)}`;

function runsColumn(values: readonly unknown[]): LayoutColumn {
  const distinct: unknown[] = [];
  const indexOf = new Map<string, number>();
  const runs: number[] = [];
  let lastKey: string | null = null;
  for (const v of values) {
    const key = keyOf(v);
    if (key === lastKey) {
      runs[runs.length - 1]!++;
      continue;
    }
    let k = indexOf.get(key);
    if (k === undefined) {
      k = distinct.length;
      distinct.push(v);
      indexOf.set(key, k);
    }
    runs.push(k, 1);
    lastKey = key;
  }
  return { kind: 'runs', values: distinct, runs };
}

/** Arithmetic runs, each value reproduced exactly as the decoder computes it (first + step × k); null if not numbers. */
function stepsColumn(values: readonly unknown[]): LayoutColumn | null {
  if (!values.every((v) => typeof v === 'number' && Number.isFinite(v))) return null;
  const xs = values as readonly number[];
  const runs: number[] = [];
  for (let i = 0; i < xs.length; ) {
    const first = xs[i]!;
    const step = i + 1 < xs.length && first + (xs[i + 1]! - first) === xs[i + 1] ? xs[i + 1]! - first : 0;
    let k = 1;
    while (i + k < xs.length && first + step * k === xs[i + k]) k++;
    runs.push(first, step, k);
    i += k;
  }
  return { kind: 'steps', runs };
}

const DIGITS = { 10: /[0-9]+$/, 16: /[0-9a-f]+$/ } as const;

/** Runs of counting strings (`A01`, `A02`, …) in `radix`; null if a value is not a string ending in digits. */
function countedColumn(values: readonly unknown[], radix: 10 | 16): LayoutColumn | null {
  const runs: (string | number)[] = [];
  let prefix = '';
  let next = -1;
  let digits = 0;
  for (const v of values) {
    if (typeof v !== 'string') return null;
    const tail = DIGITS[radix].exec(v)?.[0].slice(-MAX_COUNTER_DIGITS);
    if (!tail) return null;
    const n = Number.parseInt(tail, radix);
    // Only a counter its decoder writes back exactly (no other case, no lost leading characters).
    if (n.toString(radix).padStart(tail.length, '0') !== tail) return null;
    const head = v.slice(0, v.length - tail.length);
    if (head === prefix && n === next && tail.length === digits) {
      runs[runs.length - 2] = (runs[runs.length - 2] as number) + 1;
    } else {
      runs.push(head, n, 1, tail.length);
      prefix = head;
      digits = tail.length;
    }
    next = n + 1;
  }
  return { kind: 'counted', radix, runs };
}

/** The shortest (in JSON) of the column kinds that fit these values. */
export function encodeColumn(values: readonly unknown[]): LayoutColumn {
  const candidates = [
    { kind: 'list', values: [...values] } satisfies LayoutColumn,
    runsColumn(values),
    stepsColumn(values),
    countedColumn(values, 10),
    countedColumn(values, 16),
  ].filter((c): c is LayoutColumn => c !== null);
  let best: LayoutColumn | null = null;
  let bestLength = Infinity;
  for (const column of candidates) {
    const length = JSON.stringify(column).length;
    if (length < bestLength && decodesTo(column, values)) {
      best = column;
      bestLength = length;
    }
  }
  return best!;
}

/** Whether the decoder gives these values back exactly (a guard: a column that would not is never sent). */
function decodesTo(column: LayoutColumn, values: readonly unknown[]): boolean {
  const decoded = decodeColumn('', column, values.length);
  return decoded.every((v, i) => Object.is(v, values[i]) || keyOf(v) === keyOf(values[i]));
}

/** [first index, count, …] of the seats lacking `field`. */
function absentRanges(seats: readonly Seat[], field: string): number[] {
  const ranges: number[] = [];
  seats.forEach((seat, i) => {
    if (Object.hasOwn(seat, field)) return;
    if (ranges.length > 0 && ranges[ranges.length - 2]! + ranges[ranges.length - 1]! === i)
      ranges[ranges.length - 1]!++;
    else ranges.push(i, 1);
  });
  return ranges;
}

/** The columns of these seats: one per field any seat has, in the order fields first appear. */
export function seatColumns(seats: readonly Seat[]): Record<string, LayoutColumn> {
  const fields = new Set<string>();
  for (const seat of seats) for (const field of Object.keys(seat)) fields.add(field);
  const columns: Record<string, LayoutColumn> = {};
  for (const field of fields) {
    const absent = absentRanges(seats, field);
    const values = absent.length
      ? seats.filter((s) => Object.hasOwn(s, field)).map((s) => s[field])
      : seats.map((s) => s[field]);
    const column = encodeColumn(values);
    columns[field] = absent.length ? { ...column, absent } : column;
  }
  return columns;
}

/** SPEC §9's layout in columns: every top-level field as is, the seats as columns. */
export function toColumnar(layout: Layout | (Omit<Layout, 'seats'> & { seats: Seat[] })): ColumnarLayout {
  const { seats, ...rest } = layout;
  return { ...rest, form: 'columns', seatCount: seats.length, seatColumns: seatColumns(seats as Seat[]) };
}

const bodies = new WeakMap<SeatLayout, EncodedBody>();

/**
 * `GET …/layout?form=columns`, serialised and compressed once per layout (like the layout's own body): made from
 * that body, so both forms always carry the same content.
 */
export function columnarBody(layout: SeatLayout): EncodedBody {
  let body = bodies.get(layout);
  if (!body) {
    body = encodedBody(JSON.stringify(toColumnar(JSON.parse(layout.body().json) as Layout)), 9);
    bodies.set(layout, body);
  }
  return body;
}
