import { type QueueConfig, queueConfigSchema, queueStatsSchema } from '@seatmap/shared';
import { h, mount } from '../lib/dom.ts';
import { ApiError, request } from '../lib/http.ts';
import { bt } from './messages.ts';

const REFRESH_MS = 2000;

/**
 * The concert's waiting room in the box office: queue length, active admissions, admissions in the last minute
 * and in total, refreshed every 2 s, and a pause/resume switch. Shows nothing for a concert without a queue.
 * Returns a function that stops it.
 */
export function mountQueuePanel(el: HTMLElement, opts: { token: string; concertId: string }): () => void {
  const base = `/api/admin/concerts/${encodeURIComponent(opts.concertId)}/queue`;
  const headers = { authorization: `Bearer ${opts.token}` };
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let config: QueueConfig | null = null;

  const tile = (label: string, value: string | number) =>
    h(
      'div',
      { class: 'bo-tile' },
      h('span', { class: 'bo-tile-label' }, label),
      h('strong', { class: 'bo-tile-value' }, String(value)),
    );

  async function refresh() {
    try {
      config ??= await request('GET', base, queueConfigSchema, { headers });
      const stats = await request('GET', `${base}/stats`, queueStatsSchema, { headers });
      if (stopped) return;
      const toggle = h(
        'button',
        {
          type: 'button',
          class: 'btn btn-small',
          onclick: async () => {
            config = await request('PATCH', base, queueConfigSchema, { headers, body: { paused: !config!.paused } });
            void refresh();
          },
        },
        config.paused ? bt('queueResume') : bt('queuePause'),
      );
      mount(
        el,
        h(
          'section',
          { class: 'card bo-card', 'aria-live': 'polite' },
          h('h2', { class: 'bo-card-title' }, config.enabled ? bt('queueTitle') : bt('queueOff'), ' ', toggle),
          h(
            'div',
            { class: 'bo-summary' },
            tile(bt('queueWaiting'), stats.waiting),
            tile(bt('queueActive'), `${stats.active} / ${config.maxActive}`),
            tile(bt('queuePerMinute'), `${stats.admittedLastMinute} / ${config.admitPerMinute}`),
            tile(bt('queueAdmittedTotal'), stats.admittedTotal),
            tile(bt('queueExpired'), stats.expiredTotal),
          ),
        ),
      );
    } catch (err) {
      if (stopped) return;
      // No waiting room for this concert: nothing to show. Anything else: say so and keep trying.
      if (err instanceof ApiError && err.code === 'QUEUE_NOT_FOUND') return mount(el);
      mount(el, h('p', { class: 'bo-muted' }, bt('queueUnavailable')));
    }
    if (!stopped) timer = setTimeout(() => void refresh(), REFRESH_MS);
  }

  void refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
