import { z } from 'zod';
import { layoutSchema } from './live.ts';

// ---- The layout in columns (`GET …/layout?form=columns`, docs/decisions/0013-columnar-layout.md) ----
//
// The same content as SPEC §9's layout, with `seats` turned into one column per seat field. Each column is encoded
// in whichever of four kinds is shortest for its values, so the format knows no field: a field added to the seats
// is one more column, found by the encoder and decoded like the rest. Column `f` gives `seats[i][f]`, seat order.

/** Any JSON value of a seat field (a string, number, boolean, null, or a nested value). */
const value = z.unknown();
/** [first seat index, count, …]: seats without this field (an optional field); absent: every seat has it. */
const absent = z.array(z.number().int().nonnegative()).optional();

/** Every value in seat order. */
const listColumnSchema = z.object({ kind: z.literal('list'), values: z.array(value), absent });

/** Runs of equal values: `runs` is [index into `values`, run length, …]. */
const runsColumnSchema = z.object({
  kind: z.literal('runs'),
  values: z.array(value),
  runs: z.array(z.number().int().nonnegative()),
  absent,
});

/** Numbers in arithmetic runs: `runs` is [first value, step, run length, …] (a row's x: [x0, 1, 30]). */
const stepsColumnSchema = z.object({ kind: z.literal('steps'), runs: z.array(z.number()), absent });

/**
 * Strings that end in a counter: `runs` is [prefix, first number, run length, digits, …]; the k-th string of a run
 * is the prefix + (first + k) in `radix`, zero-padded to `digits` (`A01`…`A30`; seat ids that share a prefix and
 * count up). Radix 16 digits are lowercase.
 */
const countedColumnSchema = z.object({
  kind: z.literal('counted'),
  radix: z.union([z.literal(10), z.literal(16)]),
  runs: z.array(z.union([z.string(), z.number().int().nonnegative()])),
  absent,
});

export const layoutColumnSchema = z
  .discriminatedUnion('kind', [listColumnSchema, runsColumnSchema, stepsColumnSchema, countedColumnSchema])
  .meta({ id: 'LayoutColumn' });
export type LayoutColumn = z.infer<typeof layoutColumnSchema>;

/** `?form=`: `full` (the default) is SPEC §9's layout; `columns` the same content in columns. */
export const layoutQuerySchema = z.object({
  v: layoutSchema.shape.layoutVersion.optional(),
  form: z.enum(['full', 'columns']).default('full'),
});
export type LayoutForm = z.infer<typeof layoutQuerySchema>['form'];

/** `GET /api/schedules/:scheduleId/layout?form=columns`: SPEC §9's layout with its seats as columns. */
export const columnarLayoutSchema = layoutSchema
  .omit({ seats: true })
  .extend({
    form: z.literal('columns'),
    seatCount: z.number().int().nonnegative(),
    /** Seat field → its column, in the seats' field order. */
    seatColumns: z.record(z.string(), layoutColumnSchema),
  })
  .meta({ id: 'ColumnarLayout' });
export type ColumnarLayout = z.infer<typeof columnarLayoutSchema>;

/** `GET …/layout`'s answer: SPEC §9's layout, or with `?form=columns` the columnar one. */
export const layoutAnswerSchema = z.union([layoutSchema, columnarLayoutSchema]).meta({ id: 'LayoutAnswer' });

/** Largest counter a `counted` run carries (13 hex digits stay exact in a double). */
export const MAX_COUNTER_DIGITS = 13;

const fail = (field: string, why: string): never => {
  throw new Error(`Columnar layout: column ${JSON.stringify(field)} ${why}`);
};
const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;

/** The values of one column (`length` of them, the seats that have the field); throws on a malformed column. */
export function decodeColumn(field: string, column: LayoutColumn, length: number): unknown[] {
  const out: unknown[] = new Array(length);
  let n = 0;
  const room = (count: unknown) => {
    if (!isCount(count) || n + count > length) fail(field, 'runs past the seat count');
    return count as number;
  };
  switch (column.kind) {
    case 'list':
      if (!Array.isArray(column.values) || column.values.length !== length) fail(field, 'has the wrong length');
      return column.values;
    case 'runs': {
      const { values, runs } = column;
      for (let r = 0; r + 1 < runs.length; r += 2) {
        const k = runs[r]!;
        if (!isCount(k) || k >= values.length) fail(field, 'names a value it lacks');
        const end = n + room(runs[r + 1]);
        const v = values[k];
        while (n < end) out[n++] = v;
      }
      break;
    }
    case 'steps': {
      const { runs } = column;
      for (let r = 0; r + 2 < runs.length; r += 3) {
        const first = runs[r]!;
        const step = runs[r + 1]!;
        if (!Number.isFinite(first) || !Number.isFinite(step)) fail(field, 'has a step that is not a number');
        const count = room(runs[r + 2]);
        for (let k = 0; k < count; k++) out[n++] = first + step * k;
      }
      break;
    }
    case 'counted': {
      const { runs, radix } = column;
      if (radix !== 10 && radix !== 16) fail(field, 'has an unknown radix');
      for (let r = 0; r + 3 < runs.length; r += 4) {
        const prefix = runs[r];
        const first = runs[r + 1];
        const digits = runs[r + 3];
        if (typeof prefix !== 'string' || !isCount(first) || !isCount(digits) || digits > MAX_COUNTER_DIGITS) {
          fail(field, 'has a malformed run');
        }
        const count = room(runs[r + 2]);
        for (let k = 0; k < count; k++) {
          out[n++] = (prefix as string) + ((first as number) + k).toString(radix).padStart(digits as number, '0');
        }
      }
      break;
    }
    default:
      fail(field, 'has an unknown kind');
  }
  if (n !== length) fail(field, `covers ${n} of ${length} seats`);
  return out;
}

/** Seat indexes lacking the field, from `absent` ranges (sorted, in range); null when every seat has it. */
function absentMask(field: string, ranges: readonly number[] | undefined, count: number): Uint8Array | null {
  if (!ranges || ranges.length === 0) return null;
  const mask = new Uint8Array(count);
  let last = 0;
  for (let r = 0; r + 1 < ranges.length; r += 2) {
    const start = ranges[r]!;
    const length = ranges[r + 1]!;
    if (!isCount(start) || !isCount(length) || start < last || start + length > count) {
      fail(field, 'has malformed absent ranges');
    }
    mask.fill(1, start, start + length);
    last = start + length;
  }
  return mask;
}

/**
 * The seats of a columnar layout, as SPEC §9's layout lists them: one object per seat with every field of every
 * column (a field a seat lacks stays absent). Throws on a malformed column.
 */
export function seatsFromColumns(
  seatCount: number,
  seatColumns: Record<string, LayoutColumn>,
): Record<string, unknown>[] {
  if (!isCount(seatCount)) throw new Error('Columnar layout: bad seat count');
  const fields = Object.keys(seatColumns);
  const masks = fields.map((f) => absentMask(f, seatColumns[f]!.absent, seatCount));
  const columns = fields.map((f, c) => {
    const mask = masks[c];
    const present = mask ? seatCount - mask.reduce((sum, x) => sum + x, 0) : seatCount;
    return decodeColumn(f, seatColumns[f]!, present);
  });
  // Every seat starts as a copy of one template (one shape for all), then takes its values column by column: each
  // loop stores one property name, which the engine handles as fast as a literal. Fields some seats lack go last.
  const template: Record<string, unknown> = {};
  fields.forEach((f, c) => {
    if (masks[c] === null) template[f] = null;
  });
  const seats: Record<string, unknown>[] = new Array(seatCount);
  for (let i = 0; i < seatCount; i++) seats[i] = { ...template };
  fields.forEach((f, c) => {
    const column = columns[c]!;
    const mask = masks[c];
    if (!mask) {
      for (let i = 0; i < seatCount; i++) seats[i]![f] = column[i];
      return;
    }
    let n = 0;
    for (let i = 0; i < seatCount; i++) if (mask[i] === 0) seats[i]![f] = column[n++];
  });
  return seats;
}

/** SPEC §9's layout from its columnar form: every top-level field as is, `seats` rebuilt from the columns. */
export function fromColumnar(columnar: ColumnarLayout): Omit<ColumnarLayout, 'form' | 'seatCount' | 'seatColumns'> & {
  seats: Record<string, unknown>[];
} {
  const { form: _form, seatCount, seatColumns, ...rest } = columnar;
  return { ...rest, seats: seatsFromColumns(seatCount, seatColumns) };
}
