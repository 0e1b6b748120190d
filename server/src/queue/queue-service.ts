import { randomBytes } from 'node:crypto';
import type {
  QueueChallenge,
  QueueConfig,
  QueueConfigBody,
  QueueJoinBody,
  QueueStats,
  QueueTicketStatus,
} from '@seatmap/shared';
import type { Db } from '../db/database.ts';
import type { ConcertQueueRow } from '../db/tables.ts';
import { AppError, notFound, queueNotFound, ServiceUnavailableError } from '../errors.ts';
import { checkProof, issueChallenge } from './challenge.ts';
import { concertExists, findQueueConfig, setQueuePaused, upsertQueueConfig } from './config-repository.ts';
import { estimateWaitSeconds, pollAfterMs } from './poll-timing.ts';
import { type QueueConfigEntry, type QueueConfigs, toEntry } from './queue-configs.ts';
import { QueueStateLost, type QueueStore, type TicketView } from './queue-store.ts';
import { formatOpaque, newMember, parseOpaque, preQueueKey } from './tickets.ts';

export interface QueueServiceDeps {
  db: Db;
  store: QueueStore;
  configs: QueueConfigs;
  /** Frees the hold of an admission that was given up (seats free at once). */
  releaseHold: (holdId: string) => Promise<void>;
  /** Node clock for challenge expiry (the store keeps its own for the queue). */
  now: () => number;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

const SECRET_CACHE_MS = 10_000;

/** Turns a missing queue state into a 503 (fail closed) and tells the operator how to recover, once a minute. */
export function failClosed(log: QueueServiceDeps['log']) {
  const warned = new Map<string, number>();
  return (err: unknown): never => {
    if (err instanceof QueueStateLost) {
      const last = warned.get(err.concertId) ?? 0;
      if (Date.now() - last > 60_000) {
        warned.set(err.concertId, Date.now());
        log.error(
          { concertId: err.concertId },
          'waiting-room state is missing (Redis lost its data?): queue and holds answer 503 until the box office PUTs the queue again',
        );
      }
      throw new ServiceUnavailableError('hold-store', err);
    }
    throw err;
  };
}

export function toQueueConfig(row: ConcertQueueRow): QueueConfig {
  return {
    concertId: row.concert_id,
    enabled: row.enabled,
    opensAt: new Date(row.opens_at).toISOString(),
    admitPerMinute: row.admit_per_minute,
    maxActive: row.max_active,
    sessionMinutes: row.session_minutes,
    challengeBits: row.challenge_bits,
    paused: row.paused,
  };
}

/** The waiting room's HTTP behaviour (SPEC §10): configuration, joining, polling, leaving, challenges, stats. */
export function createQueueService(deps: QueueServiceDeps) {
  const { db, store, configs, now } = deps;
  const unavailable = failClosed(deps.log);
  const secrets = new Map<string, { secret: string; at: number }>();

  async function secretOf(concertId: string): Promise<string> {
    const cached = secrets.get(concertId);
    if (cached && now() - cached.at < SECRET_CACHE_MS) return cached.secret;
    const secret = await store.secret(concertId).catch(unavailable);
    secrets.set(concertId, { secret, at: now() });
    return secret;
  }

  function answer(config: QueueConfigEntry, ticket: string, view: TicketView): QueueTicketStatus {
    const base = { ticket, pollAfterMs: pollAfterMs(view, config) };
    if (view.status === 'waiting') {
      return {
        ...base,
        status: 'waiting',
        position: view.ahead === null ? null : view.ahead + 1,
        // Before the draw everyone else in the pre-queue may end up ahead.
        ahead: view.ahead ?? Math.max(0, view.waiting - 1),
        estimatedWaitSeconds: estimateWaitSeconds(view, config),
      };
    }
    const done = { ...base, position: null, ahead: 0, estimatedWaitSeconds: 0 };
    if (view.status === 'closed') return { ...done, status: 'closed' };
    return {
      ...done,
      status: 'admitted',
      admission: {
        token: formatOpaque(config.concertId, view.token),
        expiresAt: new Date(view.expiresAt).toISOString(),
      },
    };
  }

  /** No queue is running for this concert: nothing to wait for (status closed). */
  const closed = (ticket: string): QueueTicketStatus => ({
    ticket,
    status: 'closed',
    position: null,
    ahead: 0,
    estimatedWaitSeconds: 0,
    pollAfterMs: 0,
  });

  const ticketNotFound = () => notFound('TICKET_NOT_FOUND', 'This queue ticket is unknown; join the queue again');

  async function requireProof(config: QueueConfigEntry, proof: QueueJoinBody['proof']) {
    if (config.challengeBits === 0) return;
    const fail = (reason: string) =>
      new AppError(400, 'CHALLENGE_FAILED', `Joining needs a solved challenge: ${reason}`, {
        bits: config.challengeBits,
      });
    if (!proof) throw fail('proof is missing');
    const check = checkProof(await secretOf(config.concertId), config.concertId, proof, config.challengeBits, now());
    if (!check.ok) throw fail(check.reason);
    if (!(await store.useChallenge(config.concertId, check.id, check.expiresAt).catch(unavailable))) {
      throw fail('the challenge was already used');
    }
  }

  async function requireConcert(concertId: string) {
    if (!(await concertExists(db, concertId))) throw notFound('CONCERT_NOT_FOUND', 'Concert not found');
  }

  return {
    async getConfig(concertId: string): Promise<QueueConfig> {
      const row = await findQueueConfig(db, concertId);
      if (!row) throw queueNotFound();
      return toQueueConfig(row);
    },

    /**
     * Saves the settings (durable), then makes sure the queue's state exists in the store. If the store is down the
     * settings are kept and the answer is 503: the queue stays closed until a PUT succeeds.
     */
    async putConfig(concertId: string, body: QueueConfigBody): Promise<QueueConfig> {
      await requireConcert(concertId);
      const row = await upsertQueueConfig(db, concertId, { ...body, opensAt: new Date(body.opensAt) });
      configs.put(row);
      await store.arm(concertId, randomBytes(32).toString('base64url'));
      return toQueueConfig(row);
    },

    async setPaused(concertId: string, paused: boolean): Promise<QueueConfig> {
      const row = await setQueuePaused(db, concertId, paused);
      if (!row) throw queueNotFound();
      configs.put(row);
      return toQueueConfig(row);
    },

    async stats(concertId: string): Promise<QueueStats> {
      const row = configs.get(concertId) ?? (await findQueueConfig(db, concertId).then((r) => r && toEntry(r)));
      if (!row) throw queueNotFound();
      return store.stats(concertId).catch(unavailable);
    },

    async challenge(concertId: string): Promise<QueueChallenge> {
      const config = configs.enabled(concertId);
      if (!config) {
        await requireConcert(concertId);
        throw queueNotFound('This concert has no waiting room right now');
      }
      const { challenge, expiresAt } = issueChallenge(await secretOf(concertId), concertId, now());
      return { challenge, bits: config.challengeBits, expiresAt: new Date(expiresAt).toISOString() };
    },

    /** Joins (no ticket) or answers the ticket's place (a reload or a second tab). */
    async join(concertId: string, body: QueueJoinBody): Promise<QueueTicketStatus> {
      const config = configs.enabled(concertId);
      if (body.ticket !== undefined) {
        const parsed = parseOpaque(body.ticket);
        if (!parsed || parsed.concertId !== concertId) throw ticketNotFound();
        if (!config) return closed(body.ticket);
        const view = await store.view(concertId, config.settings, parsed.secret).catch(unavailable);
        if (!view) throw ticketNotFound();
        return answer(config, body.ticket, view);
      }
      if (!config) {
        await requireConcert(concertId);
        return closed(formatOpaque(concertId, newMember()));
      }
      await requireProof(config, body.proof);
      const member = newMember();
      const view = await store.join(concertId, config.settings, member, preQueueKey()).catch(unavailable);
      return answer(config, formatOpaque(concertId, member), view);
    },

    async poll(ticket: string): Promise<QueueTicketStatus> {
      const parsed = parseOpaque(ticket);
      if (!parsed) throw ticketNotFound();
      const config = configs.enabled(parsed.concertId);
      if (!config) return closed(ticket);
      const view = await store.view(parsed.concertId, config.settings, parsed.secret).catch(unavailable);
      if (!view) throw ticketNotFound();
      return answer(config, ticket, view);
    },

    /** Leaves the line, or gives up the admission (its active place and its hold are freed at once). */
    async leave(ticket: string): Promise<void> {
      const parsed = parseOpaque(ticket);
      if (!parsed || !configs.get(parsed.concertId)) throw ticketNotFound();
      const left = await store.leave(parsed.concertId, parsed.secret).catch(unavailable);
      if (!left) throw ticketNotFound();
      if (left.holdId) await deps.releaseHold(left.holdId);
    },
  };
}

export type QueueService = ReturnType<typeof createQueueService>;
