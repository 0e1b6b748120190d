import { h, mount } from '../lib/dom.ts';
import { formatDateTime, safeTimeZone } from '../lib/format.ts';
import { ApiError } from '../lib/http.ts';
import { otherLang } from '../lib/i18n.ts';
import { withLoading } from '../lib/load.ts';
import { type Cleanup, navigate, type Route } from '../lib/router.ts';
import { type AdminConcertItem, adminApi, adminToken } from './admin-api.ts';
import './boxoffice.css';
import { mountDashboard } from './dashboard.ts';
import { bt } from './messages.ts';
import { mountQueuePanel } from './queue-panel.ts';
import { renderSignIn } from './sign-in.ts';

const PATH = '/boxoffice';

/**
 * `#/boxoffice?concert=…&schedule=…`: sign in with the admin token, pick a concert and a performance, watch it
 * sell live. The choice lives in the URL, so a reload or a shared link opens the same performance.
 */
export function renderBoxOffice(root: HTMLElement, route: Route): Cleanup {
  let stopDashboard: (() => void) | undefined;
  let disposed = false;

  const signOut = (notice?: string) => {
    stopDashboard?.();
    stopDashboard = undefined;
    adminToken.set(null);
    if (!disposed) renderSignIn(root, () => show(), notice);
  };

  function show() {
    const token = adminToken.get();
    if (!token) return signOut();
    const badge = h('span', { class: 'bo-live bo-live-off' }, bt('reconnecting'));
    const controls = h('div', { class: 'bo-controls' });
    const body = h('div', { class: 'bo-body' });
    const queueHost = h('div', { class: 'bo-queue-host' });
    mount(
      root,
      h(
        'div',
        { class: 'bo-head' },
        h('h1', { class: 'page-title' }, bt('title')),
        badge,
        h('button', { type: 'button', class: 'btn btn-small bo-signout', onclick: () => signOut() }, bt('signOut')),
      ),
      controls,
      queueHost,
      body,
    );
    const onAuthLost = () => signOut(bt('wrongToken'));
    const onConnection = (ok: boolean) => {
      badge.className = ok ? 'bo-live bo-live-on' : 'bo-live bo-live-off';
      badge.textContent = ok ? bt('live') : bt('reconnecting');
    };

    void withLoading(
      controls,
      async () => {
        try {
          const { concerts } = await adminApi.concerts(token);
          const concert = concerts.find((c) => c.id === route.query.get('concert')) ?? concerts[0];
          const schedules = concert ? (await adminApi.schedules(token, concert.id)).schedules : [];
          return { concerts, concert, schedules };
        } catch (err) {
          if (err instanceof ApiError && (err.status === 401 || err.status === 403)) onAuthLost();
          throw err;
        }
      },
      ({ concerts, concert, schedules }) => {
        if (!concert) return mount(controls, h('p', { class: 'bo-muted' }, bt('noConcerts')));
        const timeZone = safeTimeZone(concert.timezone);
        const now = Date.now();
        // Default: the next performance, or the last one when all are past.
        const schedule =
          schedules.find((s) => s.id === route.query.get('schedule')) ??
          schedules.find((s) => Date.parse(s.dateTime) > now) ??
          schedules.at(-1);
        mount(controls, pickers(concerts, concert, schedules, schedule?.id, timeZone));
        // The concert's waiting room (SPEC §10), live above the performance's dashboard.
        const stopQueue = mountQueuePanel(queueHost, { token, concertId: concert.id });
        stopDashboard = stopQueue;
        if (!schedule) return mount(body, h('p', { class: 'bo-muted' }, bt('noPerformances')));
        const stopBoard = mountDashboard(body, { token, scheduleId: schedule.id, timeZone, onAuthLost, onConnection });
        stopDashboard = () => {
          stopQueue();
          stopBoard();
        };
      },
    );
  }

  show();
  return () => {
    disposed = true;
    stopDashboard?.();
  };
}

function pickers(
  concerts: AdminConcertItem[],
  concert: AdminConcertItem,
  schedules: { id: string; dateTime: string; totalSeats: number }[],
  scheduleId: string | undefined,
  timeZone: string,
): HTMLElement {
  const now = Date.now();
  const select = (id: string, label: string, options: HTMLOptionElement[], onchange: (value: string) => void) =>
    h(
      'label',
      { class: 'bo-picker', for: id },
      h('span', { class: 'bo-label' }, label),
      h(
        'select',
        { id, class: 'bo-select', onchange: (e: Event) => onchange((e.target as HTMLSelectElement).value) },
        options,
      ),
    );
  return h(
    'div',
    { class: 'bo-pickers' },
    select(
      'bo-concert',
      bt('concert'),
      concerts.map((c) =>
        h(
          'option',
          { value: c.id, selected: c.id === concert.id, lang: otherLang(`${c.title} ${c.venue}`) },
          `${c.title} · ${c.venue}`,
        ),
      ),
      (id) => navigate(PATH, { concert: id }),
    ),
    select(
      'bo-schedule',
      bt('performance'),
      schedules.map((s) =>
        h(
          'option',
          { value: s.id, selected: s.id === scheduleId },
          `${formatDateTime(s.dateTime, timeZone)} · ${bt('seatsCount', { n: s.totalSeats.toLocaleString() })}${
            Date.parse(s.dateTime) <= now ? bt('pastSuffix') : ''
          }`,
        ),
      ),
      (id) => navigate(PATH, { concert: concert.id, schedule: id }),
    ),
  );
}
