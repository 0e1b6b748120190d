import { renderBoxOffice } from './boxoffice/page.ts';
import { announce, clearToasts } from './components/announcer.ts';
import { openDialog } from './components/dialog.ts';
import { tickCountdowns } from './components/hold-timer.ts';
import { h, mount } from './lib/dom.ts';
import { formatCountdown } from './lib/format.ts';
import { holdSession, secondsLeft, setHoldSession } from './lib/hold-session.ts';
import { lang, onLangChange, setLang, t } from './lib/i18n.ts';
import { href, navigate, parseRoute, type Route } from './lib/router.ts';
import { renderCheckout } from './pages/checkout.ts';
import { renderConcert } from './pages/concert.ts';
import { renderConcerts } from './pages/concerts.ts';
import { renderConfirmation } from './pages/confirmation.ts';
import { renderMyReservations } from './pages/my-reservations.ts';
import { renderSeats } from './pages/seats.ts';

export type Cleanup = (() => void) | undefined;
export type PageRenderer = (root: HTMLElement, route: Route) => Cleanup;

const pages: Record<Route['name'], PageRenderer> = {
  concerts: renderConcerts,
  concert: renderConcert,
  seats: renderSeats,
  checkout: renderCheckout,
  confirmation: renderConfirmation,
  my: renderMyReservations,
  boxoffice: renderBoxOffice,
  notFound: (root) => {
    mount(root, h('h1', { tabindex: '-1' }, t('notFoundPage')), h('a', { href: '#/' }, t('navConcerts')));
    return undefined;
  },
};

const app = document.getElementById('app')!;
let cleanup: Cleanup;
let warnedHold = '';
let lastRouteName = '';

function shell(): HTMLElement {
  const route = parseRoute(location.hash);
  const main = h('main', { id: 'main', class: 'page' });
  const nav = (path: string, label: string, active: boolean) =>
    h(
      'a',
      { href: `#${path}`, class: active ? 'nav-link active' : 'nav-link', 'aria-current': active ? 'page' : false },
      label,
    );
  mount(
    app,
    h(
      'a',
      {
        class: 'skip-link',
        href: '#main',
        onclick: (e: Event) => {
          e.preventDefault();
          main.focus();
        },
      },
      t('skipToContent'),
    ),
    h(
      'header',
      { class: 'site-header' },
      h(
        'div',
        { class: 'site-header-inner' },
        h('a', { class: 'brand', href: '#/' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), t('appName')),
        h(
          'nav',
          { class: 'site-nav', 'aria-label': t('appName') },
          nav('/', t('navConcerts'), route.name !== 'my' && route.name !== 'boxoffice'),
          nav('/my', t('navMyReservations'), route.name === 'my'),
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'lang-toggle',
            lang: lang() === 'ko' ? 'en' : 'ko',
            'aria-label': t('langToggleLabel'),
            onclick: () => setLang(lang() === 'ko' ? 'en' : 'ko'),
          },
          t('langToggle'),
        ),
      ),
    ),
    main,
  );
  main.tabIndex = -1;
  return main;
}

function render(): void {
  cleanup?.();
  cleanup = undefined;
  clearToasts();
  document.documentElement.lang = lang();
  const route = parseRoute(location.hash);
  const main = shell();
  cleanup = pages[route.name](main, route);
  // Move focus to the new page's heading so screen readers hear where they are (not on first load).
  if (lastRouteName && route.name !== lastRouteName) {
    const heading = main.querySelector<HTMLElement>('h1');
    heading?.setAttribute('tabindex', '-1');
    heading?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }
  lastRouteName = route.name;
  document.title = `${main.querySelector('h1')?.textContent ?? ''} · ${t('appName')}`;
}

/** Ends the hold locally and tells the customer; the server frees the seats on its own clock. */
export function expireHold(): void {
  const session = holdSession();
  if (!session) return;
  setHoldSession(null);
  window.dispatchEvent(new CustomEvent('hold-expired', { detail: session.hold.scheduleId }));
  const seatsPath = `/concerts/${session.concertId}/schedules/${session.hold.scheduleId}`;
  const dialog = openDialog({
    title: t('expiredTitle'),
    body: [t('expiredBody')],
    actions: [{ label: t('expiredAction'), primary: true, value: 'again' }],
    dismissValue: 'again',
  });
  void dialog.result.then(() => {
    const target = href(seatsPath, { date: session.date });
    if (location.hash !== target) navigate(seatsPath, { date: session.date });
  });
}

window.addEventListener('hashchange', render);
onLangChange(render);
setInterval(() => {
  const session = holdSession();
  if (!session) return;
  const left = secondsLeft(session);
  tickCountdowns(left);
  // One spoken warning a minute before the end; the visible countdown is not read aloud every second.
  if (left <= 60 && left > 59 && warnedHold !== session.hold.holdId) {
    warnedHold = session.hold.holdId;
    announce(t('holdTimerLabel', { time: formatCountdown(left) }));
  }
  if (left <= 0) expireHold();
}, 250);
window.addEventListener('hold-lost', () => expireHold());
render();
