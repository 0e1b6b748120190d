import type { QueueConfig } from '@seatmap/shared';
import { h, mount } from '../lib/dom.ts';
import { ApiError } from '../lib/http.ts';
import { withLoading } from '../lib/load.ts';
import { adminApi } from './admin-api.ts';
import { labelled, submitter } from './form-kit.ts';
import { bt } from './messages.ts';
import { mountQueuePanel } from './queue-panel.ts';
import { localInput, zonedIso } from './zoned-time.ts';

/**
 * The concert's waiting room set-up (SPEC §10): on/off, opening time (venue-local), admissions per minute, the
 * most admitted at once, session length and the proof-of-work cost → `PUT /api/admin/concerts/:id/queue`; the
 * live queue panel under it. Returns a function that stops the panel.
 */
export function mountQueueSetup(
  el: HTMLElement,
  o: { token: string; concertId: string; timeZone: string },
): () => void {
  const panelHost = h('div', { class: 'bo-queue-host' });
  const formHost = h('div');
  mount(el, formHost, panelHost);
  let stopPanel = mountQueuePanel(panelHost, o);
  void withLoading(
    formHost,
    () =>
      adminApi.queue(o.token, o.concertId).catch((err: unknown) => {
        if (err instanceof ApiError && err.code === 'QUEUE_NOT_FOUND') return null;
        throw err;
      }),
    (config) =>
      mount(
        formHost,
        queueForm(o, config, () => {
          // A first save creates the queue: the panel starts showing it.
          stopPanel();
          stopPanel = mountQueuePanel(panelHost, o);
        }),
      ),
  );
  return () => stopPanel();
}

function queueForm(
  o: { token: string; concertId: string; timeZone: string },
  config: QueueConfig | null,
  onSaved: () => void,
): HTMLElement {
  const num = (value: number, min: number, max: number) =>
    h('input', { type: 'number', inputmode: 'numeric', min, max, step: 1, required: true, value: String(value) });
  const enabled = h('input', { type: 'checkbox', id: 'bo-q-enabled', checked: config?.enabled ?? true });
  const opensAt = h('input', {
    type: 'datetime-local',
    required: true,
    value: localInput(config?.opensAt ?? new Date().toISOString(), o.timeZone),
  });
  const admitPerMinute = num(config?.admitPerMinute ?? 300, 1, 100_000);
  const maxActive = num(config?.maxActive ?? 500, 1, 1_000_000);
  const sessionMinutes = num(config?.sessionMinutes ?? 10, 1, 120);
  const challengeBits = num(config?.challengeBits ?? 0, 0, 24);
  const button = h('button', { type: 'submit', class: 'btn btn-primary' }, bt('queueSave'));
  const submit = submitter(button);
  const numbers = [admitPerMinute, maxActive, sessionMinutes, challengeBits];
  return h(
    'form',
    {
      class: 'card bo-card bo-form',
      'aria-labelledby': 'bo-queue-form-title',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const at = zonedIso(opensAt.value, o.timeZone);
        const bad = numbers.find((input) => !input.checkValidity());
        if (!at || bad) {
          (bad ?? opensAt).focus();
          return submit.fail(bt('fillRequired'));
        }
        void submit.run(async () => {
          await adminApi.putQueue(o.token, o.concertId, {
            enabled: enabled.checked,
            opensAt: at,
            admitPerMinute: Number(admitPerMinute.value),
            maxActive: Number(maxActive.value),
            sessionMinutes: Number(sessionMinutes.value),
            challengeBits: Number(challengeBits.value),
          });
          onSaved();
          return bt('queueSaved');
        });
      },
    },
    h('h2', { class: 'bo-card-title', id: 'bo-queue-form-title' }, bt('queueSetup')),
    h('div', { class: 'bo-check' }, enabled, h('label', { for: 'bo-q-enabled' }, bt('queueEnabled'))),
    h(
      'div',
      { class: 'bo-form-grid' },
      labelled('bo-q-opens', bt('queueOpensAt'), opensAt, bt('dateTimeHint', { tz: o.timeZone })),
      labelled('bo-q-rate', bt('queueAdmitPerMinute'), admitPerMinute),
      labelled('bo-q-max', bt('queueMaxActive'), maxActive),
      labelled('bo-q-session', bt('queueSessionMinutes'), sessionMinutes),
      labelled('bo-q-bits', bt('queueChallengeBits'), challengeBits, bt('queueChallengeHint')),
    ),
    submit.error,
    submit.done,
    button,
  );
}
