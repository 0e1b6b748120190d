import { h, mount } from '../lib/dom.ts';
import { formatDateTime, safeTimeZone } from '../lib/format.ts';
import { ApiError } from '../lib/http.ts';
import { otherLang } from '../lib/i18n.ts';
import { withLoading } from '../lib/load.ts';
import { type Cleanup, href, navigate, type Route } from '../lib/router.ts';
import { layoutStatusSource } from '../lib/seat-snapshot.ts';
import { type AdminConcertItem, adminApi, adminToken } from './admin-api.ts';
import './boxoffice.css';
import { concertForm } from './concert-form.ts';
import { mountDashboard } from './dashboard.ts';
import { type BoxOfficeMessage, bt } from './messages.ts';
import { performanceForm } from './performance-form.ts';
import { mountPresales } from './presale-panel.ts';
import { mountQueuePanel } from './queue-panel.ts';
import { mountQueueSetup } from './queue-setup.ts';
import { mountSeatsForSale } from './seats-for-sale.ts';
import { renderSignIn } from './sign-in.ts';

const PATH = '/boxoffice';

/** The box office's pages, one per task; `sales` is the live dashboard. */
const VIEWS = ['sales', 'setup', 'seats', 'presale', 'queue'] as const;
type View = (typeof VIEWS)[number];
const viewLabel: Record<View, BoxOfficeMessage> = {
  sales: 'viewSales',
  setup: 'viewSetup',
  seats: 'viewSeats',
  presale: 'viewPresale',
  queue: 'viewQueue',
};
/** Views that work on one performance (the others on the concert). */
const perPerformance = new Set<View>(['sales', 'seats']);

/** The view last drawn: moving to another one puts focus on its first heading. */
let lastView: View | null = null;

/**
 * `#/boxoffice?view=…&concert=…&schedule=…`: sign in with the admin token, pick a concert and a performance, and
 * watch it sell live, set up new concerts and performances, or the waiting room. The choice lives in the URL, so
 * a reload or a shared link opens the same page.
 */
export function renderBoxOffice(root: HTMLElement, route: Route): Cleanup {
  let stop: (() => void) | undefined;
  let disposed = false;
  const view: View = VIEWS.find((v) => v === route.query.get('view')) ?? 'sales';
  const signOut = (notice?: string) => {
    stop?.();
    stop = undefined;
    adminToken.set(null);
    lastView = null;
    if (!disposed) renderSignIn(root, () => show(), notice);
  };

  function show() {
    const token = adminToken.get();
    if (!token) return signOut();
    // The live badge belongs to the sales dashboard, the one view fed by the socket.
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
        view === 'sales' ? badge : null,
        h('button', { type: 'button', class: 'btn btn-small bo-signout', onclick: () => signOut() }, bt('signOut')),
      ),
      h(
        'nav',
        { class: 'bo-views', 'aria-label': bt('viewsLabel') },
        VIEWS.map((v) =>
          h(
            'a',
            {
              class: v === view ? 'bo-view active' : 'bo-view',
              href: href(PATH, {
                view: v === 'sales' ? undefined : v,
                concert: route.query.get('concert') ?? undefined,
              }),
              'aria-current': v === view ? 'page' : false,
            },
            bt(viewLabel[v]),
          ),
        ),
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
        const focusView = lastView !== null && lastView !== view;
        lastView = view;
        if (view === 'setup') {
          stop = mountSetup(controls, body, { token, concerts, concert });
        } else if (!concert) {
          mount(controls, h('p', { class: 'bo-muted' }, bt('noConcerts')));
        } else {
          const timeZone = safeTimeZone(concert.timezone);
          const now = Date.now();
          // Default: the next performance, or the last one when all are past.
          const schedule =
            schedules.find((s) => s.id === route.query.get('schedule')) ??
            schedules.find((s) => Date.parse(s.dateTime) > now) ??
            schedules.at(-1);
          mount(
            controls,
            pickers(view, concerts, concert, perPerformance.has(view) ? schedules : null, schedule?.id, timeZone),
          );
          if (view === 'queue') {
            stop = mountQueueSetup(body, { token, concertId: concert.id, timeZone });
          } else if (view === 'presale') {
            mountPresales(body, { token, concertId: concert.id, timeZone });
          } else if (view === 'seats') {
            if (!schedule) mount(body, h('p', { class: 'bo-muted' }, bt('noPerformances')));
            else
              stop = mountSeatsForSale(body, {
                token,
                scheduleId: schedule.id,
                snapshot: layoutStatusSource(schedule.id),
              });
          } else {
            // The concert's waiting room (SPEC §10), live above the performance's dashboard.
            const stopQueue = mountQueuePanel(queueHost, { token, concertId: concert.id });
            stop = stopQueue;
            if (!schedule) mount(body, h('p', { class: 'bo-muted' }, bt('noPerformances')));
            else {
              const stopBoard = mountDashboard(body, {
                token,
                scheduleId: schedule.id,
                timeZone,
                onAuthLost,
                onConnection,
              });
              stop = () => {
                stopQueue();
                stopBoard();
              };
            }
          }
        }
        if (focusView) root.querySelector<HTMLElement>('.bo-views .active')?.focus();
      },
    );
  }

  show();
  return () => {
    disposed = true;
    stop?.();
  };
}

/**
 * Set-up: a new concert, and a new performance of the chosen concert (section editor, live preview). A created
 * concert is chosen at once; a created performance links to its dashboard and to the customers' seat map.
 */
function mountSetup(
  controls: HTMLElement,
  body: HTMLElement,
  o: { token: string; concerts: AdminConcertItem[]; concert: AdminConcertItem | undefined },
): () => void {
  const { token, concert } = o;
  mount(controls, o.concerts.length ? pickers('setup', o.concerts, concert!, null, undefined, 'Asia/Seoul') : null);
  const created = h('div', { class: 'bo-created', 'aria-live': 'polite' });
  const form = concert
    ? performanceForm({
        token,
        concertId: concert.id,
        concertTitle: concert.title,
        timeZone: safeTimeZone(concert.timezone),
        onCreated: (schedule) =>
          mount(
            created,
            h(
              'p',
              { class: 'bo-created-links' },
              h('a', { href: href(PATH, { concert: concert.id, schedule: schedule.id }) }, bt('openDashboard')),
              h('a', { href: href(`/concerts/${concert.id}/schedules/${schedule.id}`) }, bt('openSeatMap')),
            ),
          ),
      })
    : null;
  mount(
    body,
    h(
      'div',
      { class: 'bo-setup' },
      concertForm(token, (c) => setTimeout(() => navigate(PATH, { view: 'setup', concert: c.id }), 600)),
      form?.element,
      created,
    ),
  );
  return () => form?.destroy();
}

function pickers(
  view: View,
  concerts: AdminConcertItem[],
  concert: AdminConcertItem,
  schedules: { id: string; dateTime: string; totalSeats: number }[] | null,
  scheduleId: string | undefined,
  timeZone: string,
): HTMLElement {
  const viewQuery = view === 'sales' ? undefined : view;
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
      (id) => navigate(PATH, { view: viewQuery, concert: id }),
    ),
    schedules &&
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
        (id) => navigate(PATH, { view: viewQuery, concert: concert.id, schedule: id }),
      ),
  );
}
