import { z } from 'zod';
import { seatSchema } from './api.ts';
import { uuid } from './common.ts';

// ---- Layout and compact status (SPEC §9) ----

/**
 * A layout version: changes only when the box office changes the layout, prices or seat flags. Opaque to clients
 * (the server derives it from the layout's content); it is the layout's ETag and its `?v=` cache key.
 */
export const layoutVersionSchema = z.string().min(1).max(64);

/** Part one's seat without its status, plus the seat flags. */
export const layoutSeatSchema = seatSchema.omit({ status: true }).extend({
  /** Wheelchair space (SPEC §12). */
  accessible: z.boolean(),
  /** Companion seat next to an accessible one (SPEC §12). */
  companion: z.boolean(),
});
export type LayoutSeat = z.infer<typeof layoutSeatSchema>;

/**
 * A standing area (SPEC §12): `capacity` places sold by quantity, drawn as a block (x/y its top-left corner, in the
 * seats' units). Its places are not in `seats`; their count is `areas` in `…/status` and `areaChanges` in events.
 */
export const layoutAreaSchema = z.object({
  id: uuid,
  name: z.string(),
  grade: z.string(),
  price: z.number().int(),
  capacity: z.number().int(),
  x: z.number(),
  y: z.number(),
  width: z.number(),
  height: z.number(),
});

/** `GET /api/schedules/:scheduleId/layout`: everything about the seats but their status, in seat order. */
export const layoutSchema = z.object({
  scheduleId: uuid,
  layoutVersion: layoutVersionSchema,
  seats: z.array(layoutSeatSchema),
  areas: z.array(layoutAreaSchema),
});
export type Layout = z.infer<typeof layoutSchema>;

/** One character per seat in seat order: `a` available, `h` held, `r` reserved or not for sale. */
export const statusCharSchema = z.enum(['a', 'h', 'r']);
export const statusesSchema = z.string().regex(/^[ahr]*$/);

/** How many places of a standing area are neither held nor sold. */
export const areaAvailabilitySchema = z.object({ id: uuid, available: z.number().int() });
export type AreaAvailability = z.infer<typeof areaAvailabilitySchema>;

/** `GET /api/schedules/:scheduleId/status`. */
export const scheduleStatusSchema = z.object({
  scheduleId: uuid,
  version: z.number().int(),
  layoutVersion: layoutVersionSchema,
  statuses: statusesSchema,
  /** Standing areas in layout order ([] when the performance has none). */
  areas: z.array(areaAvailabilitySchema),
});
export type ScheduleStatus = z.infer<typeof scheduleStatusSchema>;

/** Which first message the plain feed sends: `?snapshot=full` asks for part one's form. */
export const feedQuerySchema = z.object({ snapshot: z.enum(['compact', 'full']).default('compact') });
export type SnapshotForm = z.infer<typeof feedQuerySchema>['snapshot'];
