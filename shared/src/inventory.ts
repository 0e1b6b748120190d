import { z } from 'zod';
import { isoDateTime, plainText, uuid } from './common.ts';

// ---- Inventory for real venues: box-office shapes (SPEC §12) ----

/** Header with a presale access code: holds, hold changes and bookings inside a presale window need it. */
export const PRESALE_CODE_HEADER = 'x-presale-code';

/** Presale codes: letters, digits and dashes, compared case-insensitively (stored upper-case). */
export const presaleCodeSchema = plainText()
  .trim()
  .toUpperCase()
  .min(4)
  .max(32)
  .regex(/^[0-9A-Z-]+$/, 'letters, digits and dashes');

const manySeatIds = z
  .array(uuid)
  .min(1)
  .max(1_000)
  .refine((ids) => new Set(ids).size === ids.length, 'seatIds must not repeat a seat');

/** `PATCH /api/admin/schedules/:scheduleId/seats`: withhold seats (kills, house seats) or put them back on sale. */
export const seatsForSaleBodySchema = z.union([
  z.strictObject({ seatIds: manySeatIds, forSale: z.literal(false), reason: plainText().trim().min(1).max(100) }),
  z.strictObject({ seatIds: manySeatIds, forSale: z.literal(true) }),
]);
export type SeatsForSaleBody = z.infer<typeof seatsForSaleBodySchema>;

export const seatsForSaleResultSchema = z.object({
  scheduleId: uuid,
  forSale: z.boolean(),
  seatIds: z.array(uuid),
});
export type SeatsForSaleResult = z.infer<typeof seatsForSaleResultSchema>;

export const withheldSeatSchema = z.object({ seatId: uuid, seatNumber: z.string(), reason: z.string() });
export const withheldSeatListSchema = z.object({ scheduleId: uuid, withheld: z.array(withheldSeatSchema) });
export type WithheldSeatList = z.infer<typeof withheldSeatListSchema>;

/** `POST /api/admin/concerts/:concertId/presales`: codes imported, or `codeCount` generated. */
export const createPresaleBodySchema = z
  .strictObject({
    name: plainText().trim().min(1).max(100),
    startsAt: isoDateTime,
    endsAt: isoDateTime,
    maxUsesPerCode: z.number().int().min(1).max(1_000),
    codes: z
      .array(presaleCodeSchema)
      .min(1)
      .max(2_000)
      .refine((codes) => new Set(codes).size === codes.length, 'codes must not repeat')
      .optional(),
    codeCount: z.number().int().min(1).max(100_000).optional(),
  })
  .refine((b) => (b.codes === undefined) !== (b.codeCount === undefined), {
    message: 'give either codes or codeCount',
    path: ['codes'],
  })
  .refine((b) => new Date(b.endsAt).getTime() > new Date(b.startsAt).getTime(), {
    message: 'endsAt must be after startsAt',
    path: ['endsAt'],
  });
export type CreatePresaleBody = z.infer<typeof createPresaleBodySchema>;

export const presaleSchema = z.object({
  id: uuid,
  concertId: uuid,
  name: z.string(),
  startsAt: isoDateTime,
  endsAt: isoDateTime,
  maxUsesPerCode: z.number().int(),
  codeCount: z.number().int(),
  /** Bookings made with this window's codes. */
  usedCount: z.number().int(),
});
export type Presale = z.infer<typeof presaleSchema>;
export const presaleListSchema = z.object({ presales: z.array(presaleSchema) });

export const presaleCodeListSchema = z.object({
  presaleId: uuid,
  codes: z.array(z.object({ code: z.string(), uses: z.number().int() })),
});
export type PresaleCodeList = z.infer<typeof presaleCodeListSchema>;
