import { seatStatusSchema, uuid } from '@seatmap/shared';
import { z } from 'zod';

/**
 * A change of public seat statuses as the hold store makes it: one version step per changed seat, `fromVersion`
 * the version before. The store publishes it in the same atomic step that moves the version (Redis: PUBLISH from
 * the Lua script), on the performance's own channel, so a subscriber receives one performance's events in version
 * order. An event with no changes and `fromVersion` = `version` tells watchers that the version moved without one
 * (reserved markers rebuilt after a data loss): they resync. The live layer adds each seat's layout index before
 * sending it to clients.
 */
export const seatEventSchema = z.object({
  scheduleId: uuid,
  fromVersion: z.number().int(),
  version: z.number().int(),
  changes: z.array(z.object({ seatId: uuid, status: seatStatusSchema })),
});
export type SeatEvent = z.infer<typeof seatEventSchema>;

/**
 * A seat event as the bus delivers it: with the time it was published (epoch ms; Redis `TIME` in the script that
 * publishes it, `Date.now()` in the memory bus), which only the fan-out lag metric reads. Nothing sends it on: the
 * live layer builds every client payload field by field (live-stream.ts `toBroadcast`).
 */
export const publishedSeatEventSchema = seatEventSchema.extend({ publishedAt: z.number().optional() });
export type PublishedSeatEvent = z.infer<typeof publishedSeatEventSchema>;

/**
 * The Redis channel of one performance's events. The braces are a Redis Cluster hash tag (SPEC §14): every key and
 * the channel of one performance will share `{scheduleId}`, so a script that moves its version can SPUBLISH here.
 * Built the same way in Lua (`channel_key` in lua-prelude.ts).
 */
export const seatEventChannel = (prefix: string, scheduleId: string) => `${prefix}schedule:{${scheduleId}}:events`;
