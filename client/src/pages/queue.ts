import { type QueueTicketStatus, queueChallengeSchema, queueTicketStatusSchema } from '@seatmap/shared';
import { announce } from '../components/announcer.ts';
import { h, mount } from '../lib/dom.ts';
import { errorMessage } from '../lib/error-text.ts';
import { ApiError, request, send } from '../lib/http.ts';
import { t } from '../lib/i18n.ts';
import { reconnectLive } from '../lib/live.ts';
import { type Cleanup, href, navigate, type Route } from '../lib/router.ts';
import { warmLayout } from '../lib/seat-snapshot.ts';
import { NO_QUEUE_MS, queueEntry, saveQueueEntry } from './queue-session.ts';
import './queue.css';

const enc = encodeURIComponent;
/** Position changes are spoken at most this often (the visible numbers update on every poll). */
const ANNOUNCE_EVERY_MS = 30_000;

export const joinQueue = (concertId: string, body: object) =>
  request('POST', `/api/concerts/${enc(concertId)}/queue`, queueTicketStatusSchema, { body });
const pollQueue = (ticket: string) => request('GET', `/api/queue/${enc(ticket)}`, queueTicketStatusSchema);

/** Runs the proof of work in a Web Worker (the page stays responsive); resolves with the nonce. */
function solve(challenge: string, bits: number): { done: Promise<string>; stop(): void } {
  const worker = new Worker(new URL('./queue-worker.ts', import.meta.url), { type: 'module' });
  const done = new Promise<string>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<{ nonce?: string }>) => {
      if (e.data.nonce !== undefined) resolve(e.data.nonce);
    };
    worker.onerror = () => reject(new Error('worker failed'));
  });
  void done.finally(() => worker.terminate()).catch(() => {});
  worker.postMessage({ challenge, bits });
  return { done, stop: () => worker.terminate() };
}

/**
 * The waiting room (SPEC §10): joins or re-reads this browser's place, shows position, people ahead, estimated
 * wait and progress, speaks changes through a polite live region, polls when the server says, and moves on to the
 * page it guards (`?next=`) by itself once admitted. The ticket is kept across reloads (queue-session.ts).
 */
export function renderQueue(root: HTMLElement, route: Route): Cleanup {
  const concertId = route.params.concertId!;
  const next = route.query.get('next') ?? `#/concerts/${concertId}`;
  let disposed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopWorker: (() => void) | undefined;
  let firstAhead: number | null = null;
  let lastAnnounced = 0;
  let lastPosition: number | null = null;
  let first = true;

  const heading = h('h1', { class: 'page-title' }, t('queueTitle'));
  const status = h('p', { class: 'queue-status', role: 'status', 'aria-live': 'polite' }, t('queueJoining'));
  const position = h('p', { class: 'queue-position' });
  const ahead = h('p', { class: 'queue-ahead' });
  const wait = h('p', { class: 'queue-wait' });
  const bar = h('div', { class: 'queue-bar-fill' });
  const progress = h(
    'div',
    {
      class: 'queue-bar',
      role: 'progressbar',
      'aria-label': t('queueProgress'),
      'aria-valuemin': '0',
      'aria-valuemax': '100',
      'aria-valuenow': '0',
    },
    bar,
  );
  const actions = h('div', { class: 'queue-actions' });
  const leaveButton = h('button', { type: 'button', class: 'btn', onclick: () => void leave() }, t('queueLeave'));
  mount(
    root,
    h(
      'section',
      { class: 'card queue-card' },
      heading,
      h('p', { class: 'queue-lead' }, t('queueLead')),
      status,
      position,
      ahead,
      wait,
      progress,
      actions,
    ),
  );

  const later = (ms: number, fn: () => void) => {
    clearTimeout(timer);
    timer = setTimeout(fn, Math.max(250, ms));
  };

  function setProgress(fraction: number) {
    const pct = Math.round(Math.max(0, Math.min(1, fraction)) * 100);
    bar.style.width = `${pct}%`;
    progress.setAttribute('aria-valuenow', String(pct));
  }

  function show(s: QueueTicketStatus) {
    if (s.status === 'waiting') {
      if (s.position === null) {
        status.textContent = t('queuePreQueue');
        position.textContent = t('queuePositionPending');
        ahead.textContent = t('queueInPreQueue', { n: s.ahead + 1 });
        setProgress(0);
      } else {
        firstAhead ??= Math.max(1, s.ahead);
        position.textContent = t('queuePosition', { n: s.position });
        ahead.textContent = t('queueAhead', { n: s.ahead });
        setProgress(1 - s.ahead / firstAhead);
        // Spoken when the place is first known and then at most every 30 s, not on every poll.
        const now = Date.now();
        if (lastPosition === null || now - lastAnnounced > ANNOUNCE_EVERY_MS) {
          status.textContent = t('queueWaiting', { n: s.position });
          lastAnnounced = now;
        }
        lastPosition = s.position;
      }
      const minutes = Math.ceil(s.estimatedWaitSeconds / 60);
      wait.textContent = t('queueWait', {
        time: s.estimatedWaitSeconds < 60 ? t('queueWaitSoon') : t('queueWaitMinutes', { n: minutes }),
      });
      mount(actions, leaveButton);
    }
  }

  async function joinFresh(proof?: { challenge: string; nonce: string }): Promise<QueueTicketStatus> {
    try {
      return await joinQueue(concertId, proof ? { proof } : {});
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'CHALLENGE_FAILED') || proof) throw err;
      // This queue asks for a proof of work: solve a fresh challenge in the background, then join.
      const challenge = await request('GET', `/api/concerts/${enc(concertId)}/queue/challenge`, queueChallengeSchema);
      status.textContent = t('queueChecking');
      const job = solve(challenge.challenge, challenge.bits);
      stopWorker = job.stop;
      const nonce = await job.done;
      return joinFresh({ challenge: challenge.challenge, nonce });
    }
  }

  async function step(): Promise<void> {
    if (disposed) return;
    const entry = queueEntry(concertId);
    let s: QueueTicketStatus;
    try {
      // A reload re-reads its place with the ticket (POST); later reads are the cheap poll (GET).
      if (entry.ticket) s = await (first ? joinQueue(concertId, { ticket: entry.ticket }) : pollQueue(entry.ticket));
      else s = await joinFresh();
      first = false;
    } catch (err) {
      if (disposed) return;
      if (err instanceof ApiError && err.code === 'TICKET_NOT_FOUND') {
        // The waiting room forgot this ticket (it was reset): join again at the back.
        saveQueueEntry(concertId, {});
        return step();
      }
      const code = err instanceof ApiError ? err.code : 'SERVICE_UNAVAILABLE';
      status.textContent = errorMessage(code);
      return later(3000 + Math.random() * 2000, () => void step());
    }
    if (disposed) return;
    if (s.admission) {
      saveQueueEntry(concertId, {
        ticket: s.ticket,
        token: s.admission.token,
        expiresAt: Date.parse(s.admission.expiresAt),
      });
      reconnectLive();
      announce(t('queueAdmitted'));
      location.replace(next);
      return;
    }
    if (s.status === 'closed') {
      if (entry.ticket) {
        // This ticket's turn is over (admission ended or expired): a new place at the back, on request.
        saveQueueEntry(concertId, {});
        status.textContent = t('queueEnded');
        mount(
          actions,
          h('button', { type: 'button', class: 'btn btn-primary', onclick: () => void step() }, t('queueJoinAgain')),
        );
        return;
      }
      // No waiting room for this concert right now: straight on.
      saveQueueEntry(concertId, { noQueueUntil: Date.now() + NO_QUEUE_MS });
      location.replace(next);
      return;
    }
    saveQueueEntry(concertId, { ticket: s.ticket });
    show(s);
    // While the customer waits, the seat map's layout comes into the browser's cache.
    const scheduleId = /\/schedules\/([^/?#]+)/.exec(next)?.[1];
    if (scheduleId) warmLayout(decodeURIComponent(scheduleId));
    later(s.pollAfterMs, () => void step());
  }

  async function leave() {
    const { ticket } = queueEntry(concertId);
    if (ticket) await send('DELETE', `/api/queue/${enc(ticket)}`).catch(() => {});
    saveQueueEntry(concertId, {});
    navigate(`/concerts/${concertId}`);
  }

  void step();
  return () => {
    disposed = true;
    clearTimeout(timer);
    stopWorker?.();
  };
}

/** Where the seat map of a queued concert sends a customer without an admission. */
export function queueHref(concertId: string, next: string): string {
  return href(`/concerts/${concertId}/queue`, { next });
}
