import type { QueueConfigEntry } from './queue-configs.ts';
import type { TicketView } from './queue-store.ts';

/** Poll hints stay within these bounds; a waiting room of 100,000 polls about every few seconds at the front. */
export const MIN_POLL_MS = 1000;
export const MAX_POLL_MS = 20_000;
/** After opensAt the pre-queue's first polls spread over this long instead of arriving in one instant. */
export const OPENING_SPREAD_MS = 5000;

type Waiting = Extract<TicketView, { status: 'waiting' }>;

/**
 * Admissions per minute to expect: the configured rate while there is room, and once `maxActive` is full the
 * rate at which places have been freed lately (never below a full turnover per session).
 */
function effectiveRate(view: Waiting, config: QueueConfigEntry): number {
  if (view.active < config.maxActive) return config.admitPerMinute;
  const turnover = config.maxActive / config.sessionMinutes;
  return Math.max(1, Math.min(config.admitPerMinute, Math.max(view.admittedLastMinute, turnover)));
}

/** Seconds until this ticket is likely admitted. Pre-queue: until opening, plus half the pre-queue's turn. */
export function estimateWaitSeconds(view: Waiting, config: QueueConfigEntry): number {
  const perSecond = effectiveRate(view, config) / 60;
  if (view.ahead === null) {
    const untilOpen = Math.max(0, config.settings.opensAt - view.now) / 1000;
    return Math.ceil(untilOpen + view.waiting / 2 / perSecond);
  }
  return Math.ceil((view.ahead + 1) / perSecond);
}

/**
 * When the client should ask again: a quarter of the soonest wait, between MIN_POLL_MS and MAX_POLL_MS, with
 * ±25 % jitter so clients that joined together drift apart. The pre-queue polls again just after opening,
 * spread over OPENING_SPREAD_MS; an admission is re-read before it ends.
 */
export function pollAfterMs(view: TicketView, config: QueueConfigEntry, random = Math.random): number {
  const jitter = (ms: number) => Math.round(ms * (0.75 + random() / 2));
  if (view.status === 'closed') return 0;
  if (view.status === 'admitted') return Math.max(MIN_POLL_MS, Math.min(MAX_POLL_MS, view.expiresAt - view.now));
  if (view.ahead === null) {
    const untilOpen = config.settings.opensAt - view.now;
    if (untilOpen > MAX_POLL_MS) return jitter(Math.min(MAX_POLL_MS, untilOpen - MAX_POLL_MS / 2));
    return Math.max(0, untilOpen) + Math.round(random() * OPENING_SPREAD_MS);
  }
  // Paced on the configured rate (the soonest this ticket can be admitted), so an admission is noticed quickly
  // even when the estimate shown is a pessimistic one.
  const soonestMs = ((view.ahead + 1) * 60_000) / config.admitPerMinute;
  return jitter(Math.max(MIN_POLL_MS, Math.min(MAX_POLL_MS, soonestMs / 4)));
}
