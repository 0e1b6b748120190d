import { createHash, randomBytes } from 'node:crypto';
import type { ErrorCode } from '@seatmap/shared';
import type { SeatLayouts } from '../catalog/seat-layouts.ts';
import { AppError } from '../errors.ts';
import type { HoldStore } from '../holds/hold-store.ts';
import type { QueueConfigEntry, QueueConfigs } from './queue-configs.ts';
import { failClosed, type QueueServiceDeps } from './queue-service.ts';
import { type Admission, PENDING_PREFIX, type QueueStore } from './queue-store.ts';
import { parseOpaque } from './tickets.ts';

/** A hold being made under an admission blocks a second one for at most this long if its node dies meanwhile. */
const PENDING_MS = 30_000;

const required = () =>
  new AppError(403, 'ADMISSION_REQUIRED', 'This concert has a waiting room: join it and send X-Admission-Token');
const expired = () => new AppError(403, 'ADMISSION_EXPIRED', 'Your admission has ended; join the waiting room again');

/**
 * SPEC §10: holds, hold changes, reservations and live joins of a queued concert's performances need a valid
 * admission token, and one admission has at most one hold at a time. Each entry point wraps the real operation,
 * so the booking code knows nothing of queues; a concert without an enabled queue costs one map lookup.
 */
export function createAdmissionGuard(deps: {
  store: QueueStore;
  configs: QueueConfigs;
  layouts: SeatLayouts;
  holdStore: HoldStore;
  releaseHold: (holdId: string) => Promise<void>;
  log: QueueServiceDeps['log'];
}) {
  const { store, configs, layouts, holdStore, log } = deps;
  const unavailable = failClosed(log);

  async function queueOf(scheduleId: string): Promise<QueueConfigEntry | undefined> {
    if (!configs.anyEnabled()) return undefined;
    const layout = await layouts.get(scheduleId);
    return layout ? configs.enabled(layout.concertId) : undefined;
  }

  /** The admission behind a token for this concert, or 403. */
  async function admissionOf(config: QueueConfigEntry, token: string | undefined) {
    const parsed = token ? parseOpaque(token) : null;
    if (!parsed || parsed.concertId !== config.concertId) throw required();
    const admission = await store.admission(config.concertId, parsed.secret).catch(unavailable);
    if (!admission) throw required();
    return { secret: parsed.secret, admission };
  }

  function active(admission: Admission): void {
    if (admission.state !== 'active') throw expired();
  }

  /** For PATCH and booking: the queue of the hold's performance, if it has one (unknown holds pass: 404 follows). */
  async function queueOfHold(holdId: string) {
    if (!configs.anyEnabled()) return undefined;
    const hold = await holdStore.get(holdId);
    return hold ? queueOf(hold.scheduleId) : undefined;
  }

  return {
    /**
     * Around hold creation: needs an active admission without another live hold, then binds the new hold to it.
     * `create` gets the admission as the hold's holder (SPEC §11: the admission is the per-person key of the hold
     * cap), or nothing when the concert has no waiting room.
     */
    async hold<T extends { holdId: string; expiresAt: string }>(
      scheduleId: string,
      token: string | undefined,
      create: (holder?: string) => Promise<T>,
    ): Promise<T> {
      const config = await queueOf(scheduleId);
      if (!config) return create();
      const { secret, admission } = await admissionOf(config, token);
      active(admission);
      const current = admission.holdId;
      if (current) {
        const pending = current.startsWith(PENDING_PREFIX);
        const busy = pending ? admission.holdUntil > admission.now : (await holdStore.get(current)) !== null;
        if (busy) {
          throw new AppError(
            409,
            'ADMISSION_HOLD_EXISTS',
            'This admission already holds seats; book or release them first',
            {
              ...(pending ? {} : { holdId: current }),
            },
          );
        }
      }
      const marker = PENDING_PREFIX + randomBytes(9).toString('base64url');
      const bind = (expected: string, next: string, until: number) =>
        store.setHold(config.concertId, secret, expected, next, until).catch(unavailable);
      if (!(await bind(current, marker, admission.now + PENDING_MS))) {
        throw new AppError(409, 'ADMISSION_HOLD_EXISTS', 'This admission is already making a hold');
      }
      let hold: T;
      try {
        hold = await create(`admission:${createHash('sha256').update(secret).digest('base64url').slice(0, 22)}`);
      } catch (err) {
        await bind(marker, '', 0).catch(() => {});
        throw err;
      }
      if (!(await bind(marker, hold.holdId, Date.parse(hold.expiresAt)))) {
        // The admission ended while the hold was being made: the hold goes too.
        await deps.releaseHold(hold.holdId).catch(() => {});
        throw expired();
      }
      return hold;
    },

    /** Around PATCH: the hold must be this admission's, and the admission still active. */
    async change<T>(holdId: string, token: string | undefined, modify: () => Promise<T>): Promise<T> {
      const config = await queueOfHold(holdId);
      if (!config) return modify();
      const { admission } = await admissionOf(config, token);
      active(admission);
      if (admission.holdId !== holdId) throw required();
      return modify();
    },

    /** Around the booking: then the admission ends (its active place is free at once). A retry after it passes. */
    async booking<T>(holdId: string, token: string | undefined, book: () => Promise<T>): Promise<T> {
      const config = await queueOfHold(holdId);
      if (!config) return book();
      const { secret, admission } = await admissionOf(config, token);
      if (admission.holdId !== holdId) throw admission.state === 'active' ? required() : expired();
      if (admission.state !== 'active' && admission.state !== 'booked') throw expired();
      const result = await book();
      await store.endAdmission(config.concertId, secret, 'booked').catch((err: unknown) => {
        // The booking stands; the admission then ends at its expiry instead.
        log.warn({ err, concertId: config.concertId }, 'admission not ended after booking');
      });
      return result;
    },

    /**
     * For `schedule:join`: null when the socket may watch, else the refusal's code. `tokens` are the admission tokens
     * of the socket's handshake (`auth.admissionTokens`, any concerts'); the one of this concert counts.
     */
    async join(scheduleId: string, tokens: readonly string[]): Promise<ErrorCode | null> {
      const config = await queueOf(scheduleId);
      if (!config) return null;
      const token = tokens.find((t) => parseOpaque(t)?.concertId === config.concertId);
      try {
        const { admission } = await admissionOf(config, token);
        active(admission);
        return null;
      } catch (err) {
        if (err instanceof AppError) return err.code;
        return 'SERVICE_UNAVAILABLE';
      }
    },
  };
}

export type AdmissionGuard = ReturnType<typeof createAdmissionGuard>;

/** The pass-through guard of an app without a waiting room (e.g. routes mounted alone in tests). */
export const openGate: AdmissionGuard = {
  hold: (_s, _t, create) => create(),
  change: (_h, _t, modify) => modify(),
  booking: (_h, _t, book) => book(),
  join: async () => null,
};

/** The admission tokens a Socket.IO handshake carries: `auth: {admissionTokens: [...]}` (or one `admissionToken`). */
export function admissionTokensOf(auth: unknown): string[] {
  const { admissionTokens, admissionToken } = (auth ?? {}) as { admissionTokens?: unknown; admissionToken?: unknown };
  const list = Array.isArray(admissionTokens) ? admissionTokens : [admissionToken];
  return list.filter((t): t is string => typeof t === 'string' && t.length <= 200).slice(0, 20);
}
