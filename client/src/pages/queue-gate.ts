import { queueTicketStatusSchema } from '@seatmap/shared';
import { h } from '../lib/dom.ts';
import { formatCountdown } from '../lib/format.ts';
import { ApiError, request } from '../lib/http.ts';
import { t } from '../lib/i18n.ts';
import type { Cleanup, PageRenderer } from '../lib/router.ts';
import { joinQueue, queueHref } from './queue.ts';
import { admissionToken, applyAdmission, NO_QUEUE_MS, queueEntry, saveQueueEntry } from './queue-session.ts';

/**
 * Wraps the seat map (SPEC §10): with a live admission for the concert the page renders, its booking calls carry
 * the token, and a banner shows the admission's time left; without one the customer goes through the waiting
 * room first (which sends them straight back when the concert has none). When the admission ends the customer
 * is taken back to the waiting room.
 */
export function withAdmission(render: PageRenderer): PageRenderer {
  return (root, route): Cleanup => {
    const concertId = route.params.concertId!;
    const entry = queueEntry(concertId);
    const toQueue = () => location.replace(queueHref(concertId, location.hash));
    if (!admissionToken(concertId)) {
      if ((entry.noQueueUntil ?? 0) > Date.now()) return render(root, route);
      if (entry.ticket) {
        toQueue();
        return undefined;
      }
      return checkQueue(concertId, render(root, route), toQueue);
    }
    applyAdmission(concertId);
    let disposed = false;
    const cleanup = render(root, route);
    const banner = h('div', { class: 'admission-banner', role: 'timer', 'aria-live': 'off' });
    document.body.append(banner);
    const tick = () => {
      const left = Math.max(0, Math.round(((queueEntry(concertId).expiresAt ?? 0) - Date.now()) / 1000));
      banner.textContent = t('admissionLeft', { time: formatCountdown(left) });
      if (left === 0) end();
    };
    const end = () => {
      if (disposed) return;
      saveQueueEntry(concertId, { ticket: queueEntry(concertId).ticket });
      toQueue();
    };
    const timer = setInterval(tick, 1000);
    tick();
    // The admission may have ended elsewhere (booked in another tab, given up): one cheap poll on entry.
    if (entry.ticket) {
      request('GET', `/api/queue/${encodeURIComponent(entry.ticket)}`, queueTicketStatusSchema).then(
        (s) => !s.admission && end(),
        (err: unknown) => err instanceof ApiError && err.code === 'TICKET_NOT_FOUND' && end(),
      );
    }
    return () => {
      disposed = true;
      clearInterval(timer);
      banner.remove();
      cleanup?.();
    };
  };
}

/**
 * A first visit without a place in line: most concerts have no waiting room, so the seat page loads at once (its
 * data is public) while the waiting room is asked, instead of after a detour through the queue page. A concert that
 * has one keeps the place just taken and sends the customer to it; so does any failure (the queue page retries,
 * solves a challenge, shows errors).
 */
function checkQueue(concertId: string, cleanup: Cleanup, toQueue: () => void): Cleanup {
  let disposed = false;
  joinQueue(concertId, {}).then(
    (s) => {
      if (disposed) return;
      if (s.status === 'closed' && !s.admission) {
        saveQueueEntry(concertId, { noQueueUntil: Date.now() + NO_QUEUE_MS });
        return;
      }
      saveQueueEntry(concertId, { ticket: s.ticket });
      toQueue();
    },
    () => !disposed && toQueue(),
  );
  return () => {
    disposed = true;
    cleanup?.();
  };
}
