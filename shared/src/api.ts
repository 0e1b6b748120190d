import { z } from 'zod';
import { isoDate, isoDateTime, koreanMobileSchema, plainText, seatStatusSchema, uuid } from './common.ts';

// ---- Browse (SPEC §5) ----

export const concertSummarySchema = z.object({
  id: uuid,
  title: z.string(),
  posterImageUrl: z.string().nullable(),
  venue: z.string(),
  nextDateTime: isoDateTime,
});
export const concertListSchema = z.object({ concerts: z.array(concertSummarySchema) });

/** A presale window as customers see it (SPEC §12): inside it, holds and bookings need `X-Presale-Code`. */
export const presaleWindowSchema = z.object({
  name: z.string(),
  startsAt: isoDateTime,
  endsAt: isoDateTime,
});
export type PresaleWindow = z.infer<typeof presaleWindowSchema>;

export const concertDetailSchema = z.object({
  id: uuid,
  title: z.string(),
  description: z.string().nullable(),
  posterImageUrl: z.string().nullable(),
  venue: z.string(),
  timezone: z.string(),
  dates: z.array(isoDate),
  /** Presale windows that have not ended yet, earliest first. */
  presales: z.array(presaleWindowSchema),
});

export const scheduleSummarySchema = z.object({
  id: uuid,
  dateTime: isoDateTime,
  availableSeats: z.number().int(),
  totalSeats: z.number().int(),
  /**
   * The presale window in force now (holds need `X-Presale-Code`), or null. (An unnamed copy of PresaleWindow: OpenAPI
   * 3.0 cannot mark a `$ref` nullable.)
   */
  presale: presaleWindowSchema.extend({}).nullable(),
});
export const scheduleListSchema = z.object({ schedules: z.array(scheduleSummarySchema) });

export const seatSchema = z.object({
  id: uuid,
  seatNumber: z.string(),
  section: z.string(),
  row: z.string(),
  x: z.number(),
  y: z.number(),
  grade: z.string(),
  price: z.number().int(),
  status: seatStatusSchema,
});
export type Seat = z.infer<typeof seatSchema>;

export const seatMapSchema = z.object({
  scheduleId: uuid,
  version: z.number().int(),
  seats: z.array(seatSchema),
});
export type SeatMap = z.infer<typeof seatMapSchema>;

// ---- Public limits (GET /api/config) ----

/** The limits a customer's client needs to know before it asks (the server still enforces them). */
export const publicConfigSchema = z.object({
  maxSeatsPerHold: z.number().int().min(1),
  holdTtlSeconds: z.number().int().min(1),
});
export type PublicConfig = z.infer<typeof publicConfigSchema>;

// ---- Holds ----

export const seatIdsSchema = z
  .array(uuid)
  .min(1)
  .max(100)
  .refine((ids) => new Set(ids).size === ids.length, 'seatIds must not repeat a seat');

/** Places in a standing area (SPEC §12): a quantity, never particular places. */
export const areaRequestSchema = z.strictObject({
  id: uuid,
  quantity: z.number().int().min(1).max(100),
});
export type AreaRequest = z.infer<typeof areaRequestSchema>;

export const createHoldBodySchema = z.union([
  z.strictObject({ seatIds: seatIdsSchema, area: areaRequestSchema.optional() }),
  z.strictObject({
    bestAvailable: z.strictObject({
      count: z.number().int().min(1).max(100),
      grade: plainText().min(1).max(5).optional(),
      /** How many of the `count` seats are wheelchair spaces; the rest are companion seats beside them. */
      accessible: z.number().int().min(1).max(100).optional(),
    }),
  }),
  z.strictObject({ area: areaRequestSchema }),
]);
export type CreateHoldBody = z.infer<typeof createHoldBodySchema>;

export const patchHoldBodySchema = z
  .strictObject({ add: seatIdsSchema.optional(), remove: seatIdsSchema.optional() })
  .refine((b) => b.add !== undefined || b.remove !== undefined, 'add or remove is required');
export type PatchHoldBody = z.infer<typeof patchHoldBodySchema>;

export const holdSchema = z.object({
  holdId: z.string(),
  scheduleId: uuid,
  seatIds: z.array(uuid),
  expiresAt: isoDateTime,
  /** Standing places in the hold (SPEC §12), when it has some. */
  area: z.object({ id: uuid, quantity: z.number().int() }).optional(),
});
export type Hold = z.infer<typeof holdSchema>;

// ---- Reservations ----

export const customerNameSchema = plainText().trim().min(1).max(100);
export const emailSchema = z.email().max(255);
export const reservationNumberSchema = z
  .string()
  .trim()
  .toUpperCase()
  .min(8)
  .max(12)
  .regex(/^[0-9A-Z]+$/);

export const createReservationBodySchema = z.object({
  holdId: plainText().min(1).max(64),
  customer: z.object({
    name: customerNameSchema,
    phone: koreanMobileSchema,
    email: emailSchema.optional(),
  }),
});
export type CreateReservationBody = z.infer<typeof createReservationBodySchema>;

export const reservedSeatSchema = z.object({
  id: uuid,
  seatNumber: z.string(),
  grade: z.string(),
  price: z.number().int(),
});

/** One standing place of a reservation (SPEC §12): entry is by this number. */
export const areaTicketSchema = z.object({
  areaId: uuid,
  name: z.string(),
  grade: z.string(),
  price: z.number().int(),
  entryNumber: z.number().int(),
});
export type AreaTicket = z.infer<typeof areaTicketSchema>;

export const reservationSchema = z.object({
  reservationNumber: z.string(),
  status: z.literal('confirmed'),
  concert: z.object({ id: uuid, title: z.string() }),
  schedule: z.object({ id: uuid, dateTime: isoDateTime }),
  seats: z.array(reservedSeatSchema),
  areaTickets: z.array(areaTicketSchema),
  totalPrice: z.number().int(),
  customer: z.object({ name: z.string(), phone: z.string(), email: z.string().nullable() }),
  createdAt: isoDateTime,
});
export type Reservation = z.infer<typeof reservationSchema>;

/** Two factors, never one: (phone or email) and (reservationNumber or name). */
export const lookupBodySchema = z
  .object({
    phone: koreanMobileSchema.optional(),
    email: emailSchema.optional(),
    reservationNumber: plainText().trim().min(1).max(32).optional(),
    name: customerNameSchema.optional(),
  })
  .refine((b) => b.phone !== undefined || b.email !== undefined, {
    message: 'phone or email is required',
    path: ['phone'],
  })
  .refine((b) => b.reservationNumber !== undefined || b.name !== undefined, {
    message: 'reservationNumber or name is required',
    path: ['reservationNumber'],
  });
export type LookupBody = z.infer<typeof lookupBodySchema>;

export const lookupItemSchema = z.object({
  reservationNumber: z.string(),
  concertTitle: z.string(),
  dateTime: isoDateTime,
  seats: z.array(reservedSeatSchema),
  areaTickets: z.array(areaTicketSchema),
  totalPrice: z.number().int(),
  status: z.enum(['confirmed', 'cancelled']),
  createdAt: isoDateTime,
  cancelledAt: isoDateTime.nullable(),
});
export const lookupResultSchema = z.object({ reservations: z.array(lookupItemSchema) });
export type LookupItem = z.infer<typeof lookupItemSchema>;

export const cancelBodySchema = z
  .object({ phone: koreanMobileSchema.optional(), email: emailSchema.optional() })
  .refine((b) => b.phone !== undefined || b.email !== undefined, {
    message: 'phone or email is required',
    path: ['phone'],
  });
export type CancelBody = z.infer<typeof cancelBodySchema>;

export const cancelResultSchema = z.object({
  reservationNumber: z.string(),
  status: z.literal('cancelled'),
  cancelledAt: isoDateTime,
});

// ---- Box office ----

export const createConcertBodySchema = z.object({
  title: plainText().trim().min(1).max(255),
  description: plainText().max(10_000).optional(),
  // A site path or a web address: anything else (javascript:, data:) never reaches a page.
  posterImageUrl: plainText()
    .max(2_000)
    .regex(/^(\/(?!\/)|https?:\/\/)/, 'a path starting with / or an http(s) URL')
    .optional(),
  venue: plainText().trim().min(1).max(255),
  timezone: plainText()
    .max(64)
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'IANA time zone, e.g. Asia/Seoul')
    .optional(),
});

export const adminConcertSchema = z.object({
  id: uuid,
  title: z.string(),
  description: z.string().nullable(),
  posterImageUrl: z.string().nullable(),
  venue: z.string(),
  timezone: z.string(),
  createdAt: isoDateTime,
});

export const layoutSectionSchema = z.object({
  name: plainText().trim().min(1).max(20),
  grade: plainText().trim().min(1).max(5),
  price: z.number().int().min(0).max(100_000_000),
  rows: z.number().int().min(1).max(200),
  seatsPerRow: z.number().int().min(1).max(500),
  /** Where the section's first seat (row 1, seat 1) is drawn; give x and y for every section or for none (auto). */
  x: z.number().int().min(-10_000).max(10_000).optional(),
  y: z.number().int().min(-10_000).max(10_000).optional(),
});
/** A standing area to create (SPEC §12): x/y its top-left corner, in the seats' units (one seat pitch = 1). */
export const layoutAreaInputSchema = z.object({
  name: plainText().trim().min(1).max(20),
  grade: plainText().trim().min(1).max(5),
  price: z.number().int().min(0).max(100_000_000),
  capacity: z.number().int().min(1).max(100_000),
  x: z.number().min(-10_000).max(10_000),
  y: z.number().min(-10_000).max(10_000),
  width: z.number().min(1).max(10_000),
  height: z.number().min(1).max(10_000),
});
const seatNumberListSchema = z.array(plainText().trim().min(1).max(10)).max(5_000);
export const createScheduleBodySchema = z.object({
  dateTime: isoDateTime,
  layout: z
    .object({
      sections: z.array(layoutSectionSchema).max(100),
      areas: z.array(layoutAreaInputSchema).max(20).optional(),
      /** Seat numbers (as the shared `generateSeats` numbers them) of wheelchair spaces and of companion seats. */
      accessibleSeats: seatNumberListSchema.optional(),
      companionSeats: seatNumberListSchema.optional(),
    })
    .refine((l) => l.sections.length > 0 || (l.areas?.length ?? 0) > 0, {
      message: 'a performance needs at least one section or standing area',
      path: ['sections'],
    }),
});
export type LayoutSection = z.infer<typeof layoutSectionSchema>;
export type LayoutAreaInput = z.infer<typeof layoutAreaInputSchema>;

export const adminScheduleSchema = z.object({
  id: uuid,
  concertId: uuid,
  dateTime: isoDateTime,
  totalSeats: z.number().int(),
});

export const gradeStatsSchema = z.object({
  grade: z.string(),
  price: z.number().int(),
  total: z.number().int(),
  available: z.number().int(),
  held: z.number().int(),
  reserved: z.number().int(),
  /** Not for sale (kills, house seats; SPEC §12): counted apart, never in `available`. */
  withheld: z.number().int(),
  revenue: z.number().int(),
});
export const statsSchema = z.object({
  scheduleId: uuid,
  total: z.number().int(),
  available: z.number().int(),
  held: z.number().int(),
  reserved: z.number().int(),
  withheld: z.number().int(),
  revenue: z.number().int(),
  byGrade: z.array(gradeStatsSchema),
});
export type Stats = z.infer<typeof statsSchema>;

export const adminConcertListSchema = z.object({
  concerts: z.array(adminConcertSchema.extend({ scheduleCount: z.number().int() })),
});
export type AdminConcert = z.infer<typeof adminConcertSchema>;

export const adminScheduleListSchema = z.object({ schedules: z.array(adminScheduleSchema) });
export type AdminSchedule = z.infer<typeof adminScheduleSchema>;

/** One reservation as the box office sees it (newest first; cancelled ones included, with their status). */
export const adminReservationSchema = z.object({
  reservationNumber: z.string(),
  status: z.enum(['confirmed', 'cancelled']),
  customer: z.object({ name: z.string(), phone: z.string(), email: z.string().nullable() }),
  seats: z.array(reservedSeatSchema),
  areaTickets: z.array(areaTicketSchema),
  totalPrice: z.number().int(),
  createdAt: isoDateTime,
  cancelledAt: isoDateTime.nullable(),
});
export const adminReservationListSchema = z.object({
  scheduleId: uuid,
  reservations: z.array(adminReservationSchema),
});
export type AdminReservation = z.infer<typeof adminReservationSchema>;
export type CreateConcertBody = z.infer<typeof createConcertBodySchema>;
export type CreateScheduleBody = z.infer<typeof createScheduleBodySchema>;

/**
 * A concert's own purchase limit (SPEC §11): seats per person per performance across confirmed reservations.
 * `null` = the server's MAX_TICKETS_PER_PERSON; 0 = no limit.
 */
export const purchaseLimitBodySchema = z.strictObject({
  maxTicketsPerPerson: z.number().int().min(0).max(1000).nullable(),
});
export type PurchaseLimitBody = z.infer<typeof purchaseLimitBodySchema>;

export const purchaseLimitSchema = z.object({
  concertId: uuid,
  /** The concert's own setting, or null when the server default applies. */
  maxTicketsPerPerson: z.number().int().nullable(),
  /** The server default (MAX_TICKETS_PER_PERSON). */
  defaultMaxTicketsPerPerson: z.number().int(),
  /** What bookings are held to now (0 = no limit). */
  effectiveMaxTicketsPerPerson: z.number().int(),
});
export type PurchaseLimit = z.infer<typeof purchaseLimitSchema>;
