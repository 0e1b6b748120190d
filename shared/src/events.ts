import { z } from 'zod';
import { type Stats, statsSchema } from './api.ts';
import { seatStatusSchema, uuid } from './common.ts';
import { errorCodes } from './errors.ts';
import { areaAvailabilitySchema, layoutVersionSchema, statusesSchema } from './live.ts';

/** A seat's new public status; `index` is its place in the layout's seat order (SPEC §9). */
export const seatChangeSchema = z.object({
  seatId: uuid,
  index: z.number().int().nonnegative(),
  status: seatStatusSchema,
});
export type SeatChange = z.infer<typeof seatChangeSchema>;

/**
 * `seats:changed` (SPEC §6, §9): one version step per seat change; fromVersion is the version before the first.
 * Versions of one performance reach a watcher in order: `fromVersion` ≠ the watcher's version means something was
 * lost (a reconnect, a Redis failover) and the watcher refetches the status. After such a loss the server may send
 * an event with no changes and `fromVersion` = `version` = the current version, so watchers notice without waiting
 * for the next change.
 */
export const areaChangeSchema = z.object({ areaId: uuid, available: z.number().int() });
export type AreaChange = z.infer<typeof areaChangeSchema>;

/**
 * Standing places (SPEC §12) move the version too, one step per place, but are not in `changes`: `areaChanges`
 * carries each touched area's new count. So `version - fromVersion` may exceed `changes.length`.
 */
export const seatsChangedSchema = z.object({
  scheduleId: uuid,
  fromVersion: z.number().int(),
  version: z.number().int(),
  changes: z.array(seatChangeSchema),
  areaChanges: z.array(areaChangeSchema).optional(),
});
export type SeatsChanged = z.infer<typeof seatsChangedSchema>;

export const joinAckSchema = z.union([
  z.object({ ok: z.literal(true), version: z.number().int() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.enum(errorCodes), message: z.string() }) }),
]);
export type JoinAck = z.infer<typeof joinAckSchema>;

/** Socket.IO default namespace. */
export interface ServerToClientEvents {
  'seats:changed': (payload: SeatsChanged) => void;
}
export interface ClientToServerEvents {
  'schedule:join': (scheduleId: string, ack: (res: JoinAck) => void) => void;
  'schedule:leave': (scheduleId: string) => void;
}

/** Socket.IO `/boxoffice` namespace. */
export interface BoxOfficeServerToClientEvents {
  stats: (stats: Stats) => void;
}
export interface BoxOfficeClientToServerEvents {
  'stats:watch': (scheduleId: string, ack?: (res: JoinAck) => void) => void;
  'stats:unwatch': (scheduleId: string) => void;
}
export { statsSchema };

/** Plain WebSocket feed `GET /api/schedules/:scheduleId/live`: first message, compact (the default). */
export const liveCompactSnapshotSchema = z.object({
  type: z.literal('snapshot'),
  version: z.number().int(),
  layoutVersion: layoutVersionSchema,
  statuses: statusesSchema,
  areas: z.array(areaAvailabilitySchema),
});
/** First message with `?snapshot=full` (part one's form). */
export const liveFullSnapshotSchema = z.object({
  type: z.literal('snapshot'),
  version: z.number().int(),
  seats: z.array(z.object({ seatId: uuid, status: seatStatusSchema })),
});
export const liveSnapshotSchema = z.union([liveCompactSnapshotSchema, liveFullSnapshotSchema]);
export const liveChangeMessageSchema = seatsChangedSchema.extend({ type: z.literal('seats:changed') });
export const liveMessageSchema = z.union([liveSnapshotSchema, liveChangeMessageSchema]);
export type LiveMessage = z.infer<typeof liveMessageSchema>;
