import { z } from 'zod';

/** Every error code the API can answer with (SPEC §5). The set is closed: clients switch on it. */
export const errorCodes = [
  'VALIDATION_FAILED',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONCERT_NOT_FOUND',
  'SCHEDULE_NOT_FOUND',
  'HOLD_NOT_FOUND',
  'RESERVATION_NOT_FOUND',
  'SCHEDULE_CLOSED',
  'SEAT_UNAVAILABLE',
  'ORPHAN_SEAT',
  'NO_ADJACENT_SEATS',
  'ALREADY_CANCELLED',
  'CANCELLATION_CLOSED',
  'IDEMPOTENCY_KEY_REUSED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  // Waiting room (SPEC §10)
  'QUEUE_NOT_FOUND',
  'TICKET_NOT_FOUND',
  'ADMISSION_REQUIRED',
  'ADMISSION_EXPIRED',
  'ADMISSION_HOLD_EXISTS',
  'CHALLENGE_FAILED',
  // Fair sale (SPEC §11)
  'PURCHASE_LIMIT',
  'HOLD_LIMIT',
  // Inventory for real venues (SPEC §12)
  'AREA_SOLD_OUT',
  'PRESALE_CODE_REQUIRED',
  'PRESALE_CODE_INVALID',
  'INTERNAL_ERROR',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(errorCodes),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

export type ErrorBody = z.infer<typeof errorBodySchema>;
