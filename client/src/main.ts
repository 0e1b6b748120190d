// First: the seat page's requests go out before the rest of the bundle runs (early-fetch.ts).
import './lib/early-fetch.ts';
import './lib/zod-jitless.ts';
import { announce, clearToasts } from './components/announcer.ts';
import { openDialog } from './components/dialog.ts';
import { tickCountdowns } from './components/hold-timer.ts';
import { h, mount } from './lib/dom.ts';
import { formatCountdown } from './lib/format.ts';
import { keepsHold, leaveBooking } from './lib/hold-flow.ts';
import { type HoldSession, holdSession, secondsLeft } from './lib/hold-session.ts';
import { lang, onLangChange, setLang, t } from './lib/i18n.ts';
import { href, navigate, type Route, startRouter } from './lib/router.ts';
import { routes } from './routes.ts';

const app = document.getElementById('app')!;

/**
 * The built page preloads its stylesheet instead of blocking on it (vite.config.ts): link it now and show the
 * app once it has loaded. Pages render (and start their requests) meanwhile, out of sight.
 */
function showWhenStyled(): void {
  const sheets = [...document.querySelectorAll<HTMLLinkElement>('link[rel="preload"][as="style"]')].map((preload) => {
    const link = h('link', { rel: 'stylesheet', href: preload.href, crossOrigin: preload.crossOrigin });
    const settled = new Promise((resolve) => {
      link.onload = resolve;
      link.onerror = resolve;
    });
    document.head.append(link);
    return settled;
  });
  void Promise.all(sheets).then(() => {
    app.hidden = false;
  });
}
showWhenStyled();

/** Header, navigation and the language toggle around every page; returns the page's <main>. */
function frame(route: Route): HTMLElement {
  const main = h('main', { id: 'main', class: 'page', tabindex: '-1' });
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
  return main;
}

const router = startRouter({
  routes,
  notFound: (root) => {
    mount(root, h('h1', { tabindex: '-1' }, t('notFoundPage')), h('a', { href: '#/' }, t('navConcerts')));
    return undefined;
  },
  frame,
  beforeRender: (route) => {
    clearToasts();
    document.documentElement.lang = lang();
    // A hold lives as long as its booking: leaving for any other page gives the seats back.
    if (!keepsHold(route)) leaveBooking();
  },
  afterRender: (_route, root, routeChanged) => {
    // Move focus to the new page's heading so screen readers hear where they are (not on first load).
    if (routeChanged) {
      const heading = root.querySelector<HTMLElement>('h1');
      heading?.setAttribute('tabindex', '-1');
      heading?.focus({ preventScroll: true });
      window.scrollTo(0, 0);
    }
    document.title = `${root.querySelector('h1')?.textContent ?? ''} · ${t('appName')}`;
    document.querySelector('meta[name="description"]')?.setAttribute('content', t('metaDescription'));
  },
});
onLangChange(router.render);

/** The hold ran out (or the server no longer has it): say so, then offer the seat map again. */
function showExpired(ended: HoldSession): void {
  const seatsPath = `/concerts/${ended.concertId}/schedules/${ended.hold.scheduleId}`;
  const dialog = openDialog({
    title: t('expiredTitle'),
    body: [t('expiredBody')],
    actions: [{ label: t('expiredAction'), primary: true, value: 'again' }],
    dismissValue: 'again',
  });
  void dialog.result.then(() => {
    if (location.hash !== href(seatsPath, { date: ended.date })) navigate(seatsPath, { date: ended.date });
  });
}
holdSession.subscribe((change) => {
  if (change.kind === 'expired') showExpired(change.ended);
});

// One clock for every countdown on the page; the server's expiry is the authority, this one only shows it.
let warnedHold = '';
setInterval(() => {
  const session = holdSession.get();
  if (!session) return;
  const left = secondsLeft(session);
  tickCountdowns(left);
  // One spoken warning a minute before the end; the visible countdown is not read aloud every second.
  if (left <= 60 && left > 59 && warnedHold !== session.hold.holdId) {
    warnedHold = session.hold.holdId;
    announce(t('holdTimerLabel', { time: formatCountdown(left) }));
  }
  if (left <= 0) holdSession.expire();
}, 250);
