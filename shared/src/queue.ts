import { z } from 'zod';
import { isoDateTime, uuid } from './common.ts';

export { leadingZeroBits } from './pow.ts';

// ---- Waiting room (SPEC §10) ----

/** Box office: `PUT /api/admin/concerts/:id/queue`. */
export const queueConfigBodySchema = z.strictObject({
  enabled: z.boolean(),
  opensAt: isoDateTime,
  admitPerMinute: z.number().int().min(1).max(100_000),
  maxActive: z.number().int().min(1).max(1_000_000),
  sessionMinutes: z.number().int().min(1).max(120).default(10),
  /** Leading zero bits of SHA-256(challenge‖nonce); 20 bits is about a million hashes (seconds on a phone). */
  challengeBits: z.number().int().min(0).max(24).default(0),
});
export type QueueConfigBody = z.infer<typeof queueConfigBodySchema>;

export const queuePatchBodySchema = z.strictObject({ paused: z.boolean() });

export const queueConfigSchema = z.object({
  concertId: uuid,
  enabled: z.boolean(),
  opensAt: isoDateTime,
  admitPerMinute: z.number().int(),
  maxActive: z.number().int(),
  sessionMinutes: z.number().int(),
  challengeBits: z.number().int(),
  paused: z.boolean(),
});
export type QueueConfig = z.infer<typeof queueConfigSchema>;

export const queueStatsSchema = z.object({
  waiting: z.number().int(),
  active: z.number().int(),
  admittedTotal: z.number().int(),
  admittedLastMinute: z.number().int(),
  expiredTotal: z.number().int(),
});
export type QueueStats = z.infer<typeof queueStatsSchema>;

/** Opaque queue tickets and admission tokens: URL-safe, bounded. */
export const queueTicketSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.-]+$/, 'queue ticket');

/** `proof`: a nonce such that SHA-256(challenge‖nonce) starts with `challengeBits` zero bits. */
export const queueProofSchema = z.strictObject({
  challenge: z.string().min(1).max(200),
  nonce: z.string().min(1).max(64),
});
export type QueueProof = z.infer<typeof queueProofSchema>;

export const queueJoinBodySchema = z.strictObject({
  ticket: queueTicketSchema.optional(),
  proof: queueProofSchema.optional(),
});
export type QueueJoinBody = z.infer<typeof queueJoinBodySchema>;

export const queueStatusSchema = z.enum(['waiting', 'admitted', 'closed']);
export type QueueStatusName = z.infer<typeof queueStatusSchema>;

/** `POST /api/concerts/:id/queue` and `GET /api/queue/:ticket`. `position` is null in the pre-queue. */
export const queueTicketStatusSchema = z.object({
  ticket: z.string(),
  status: queueStatusSchema,
  position: z.number().int().nullable(),
  ahead: z.number().int(),
  estimatedWaitSeconds: z.number().int(),
  pollAfterMs: z.number().int(),
  admission: z.object({ token: z.string(), expiresAt: isoDateTime }).optional(),
});
export type QueueTicketStatus = z.infer<typeof queueTicketStatusSchema>;

/** `GET /api/concerts/:id/queue/challenge`: single use, valid until `expiresAt`. */
export const queueChallengeSchema = z.object({
  challenge: z.string(),
  bits: z.number().int(),
  expiresAt: isoDateTime,
});
export type QueueChallenge = z.infer<typeof queueChallengeSchema>;

/** The header every hold, hold change and reservation of a queued concert carries. */
export const ADMISSION_HEADER = 'x-admission-token';
