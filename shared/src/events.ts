import { z } from 'zod';
import { type Stats, statsSchema } from './api.ts';
import { seatStatusSchema, uuid } from './common.ts';
import { errorCodes } from './errors.ts';

export const seatChangeSchema = z.object({ seatId: uuid, status: seatStatusSchema });
export type SeatChange = z.infer<typeof seatChangeSchema>;

/** `seats:changed` (SPEC §6): one version step per seat change; fromVersion is the version before the first. */
export const seatsChangedSchema = z.object({
  scheduleId: uuid,
  fromVersion: z.number().int(),
  version: z.number().int(),
  changes: z.array(seatChangeSchema),
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

/** Plain WebSocket feed `GET /api/schedules/:scheduleId/live`. */
export const liveSnapshotSchema = z.object({
  type: z.literal('snapshot'),
  version: z.number().int(),
  seats: z.array(seatChangeSchema),
});
export const liveMessageSchema = z.discriminatedUnion('type', [
  liveSnapshotSchema,
  seatsChangedSchema.extend({ type: z.literal('seats:changed') }),
]);
export type LiveMessage = z.infer<typeof liveMessageSchema>;
