import {
  type ColumnarLayout,
  columnarLayoutSchema,
  fromColumnar,
  type Layout,
  type LayoutColumn,
  layoutSeatSchema,
} from '@seatmap/shared';
import { z } from 'zod';
import { layoutAnswer } from './api.ts';
import { fieldKinds, type Kind } from './bulk-schema.ts';
import { ApiError, request } from './http.ts';
import { paths } from './paths.ts';

/** The layout in columns: at `?v=` when the version is known, else the current one (decision 0013). */
export const columnarLayoutPath = paths.columnarLayout;

/**
 * The answer's frame only: each column is checked by its kind here and by the decoder as it reads it, not by zod
 * over every run value, which would cost more than the decoding.
 */
const columnarAnswer = columnarLayoutSchema.extend({
  seatColumns: z.record(
    z.string(),
    z.custom<LayoutColumn>((c) => typeof c === 'object' && c !== null && typeof (c as LayoutColumn).kind === 'string'),
  ),
});

const seatKinds = fieldKinds(layoutSeatSchema);

/** Whether every value a column can give is of this JSON type (`steps` only numbers, `counted` only strings). */
function columnGives(column: LayoutColumn, kind: Kind): boolean {
  const every = (values: unknown) =>
    Array.isArray(values) && values.every((v) => typeof v === kind && (kind !== 'number' || Number.isFinite(v)));
  switch (column.kind) {
    case 'list':
    case 'runs':
      return every(column.values);
    case 'steps':
      return kind === 'number';
    case 'counted':
      return kind === 'string';
    default:
      return false;
  }
}

/**
 * SPEC §9's layout object from the columnar answer, checked as the full form's seats are (bulk-schema.ts) but per
 * column: every field of SPEC §9's seat is a column that every seat has, of the field's type. Fields the client
 * does not know yet are decoded as they are. Throws when the answer is malformed.
 */
export function decodeColumnarLayout(columnar: ColumnarLayout): Layout {
  const { seatColumns } = columnar;
  for (const [field, kind] of seatKinds.kinds) {
    const column = seatColumns[field];
    if (!column || column.absent?.length || !columnGives(column, kind)) {
      throw new Error(`Columnar layout: seat field ${field} is missing or not a ${kind}`);
    }
  }
  const layout = fromColumnar(columnar);
  if (seatKinds.others.length > 0) return layoutAnswer.parse(layout);
  const frame = layoutAnswer.omit({ seats: true }).parse(layout);
  return { ...frame, seats: layout.seats as Layout['seats'] };
}

/** Fetches a performance's layout in columns (at `layoutVersion`, or the current one) as SPEC §9's layout object. */
export async function fetchColumnarLayout(scheduleId: string, layoutVersion: string | null): Promise<Layout> {
  const path = columnarLayoutPath(scheduleId, layoutVersion);
  const columnar = await request('GET', path, columnarAnswer);
  try {
    return decodeColumnarLayout(columnar);
  } catch {
    throw new ApiError(200, 'INTERNAL_ERROR', `Unexpected response from ${path}`);
  }
}
