import type { RouteEntry } from './lib/router.ts';
import { renderCheckout } from './pages/checkout.ts';
import { renderConcert } from './pages/concert.ts';
import { renderConcerts } from './pages/concerts.ts';
import { renderConfirmation } from './pages/confirmation.ts';
import { renderMyReservations } from './pages/my-reservations.ts';
import { renderQueue } from './pages/queue.ts';
import { withAdmission } from './pages/queue-gate.ts';
import { renderSeats } from './pages/seats.ts';

/**
 * Every page and its hash path. Customer pages are in the main bundle; the box office is loaded on first use, in
 * its own chunk (with its CSS), so customers never download it. A new page is one entry here.
 */
export const routes: RouteEntry[] = [
  { name: 'concerts', pattern: /^\/?$/, render: renderConcerts },
  { name: 'concert', pattern: /^\/concerts\/(?<concertId>[^/]+)$/, render: renderConcert },
  {
    name: 'seats',
    pattern: /^\/concerts\/(?<concertId>[^/]+)\/schedules\/(?<scheduleId>[^/]+)$/,
    // A queued concert's seat map needs an admission (SPEC §10): without one, the waiting room first.
    render: withAdmission(renderSeats),
  },
  { name: 'queue', pattern: /^\/concerts\/(?<concertId>[^/]+)\/queue$/, render: renderQueue },
  { name: 'checkout', pattern: /^\/checkout$/, render: renderCheckout },
  { name: 'confirmation', pattern: /^\/reservations\/(?<reservationNumber>[^/]+)$/, render: renderConfirmation },
  { name: 'my', pattern: /^\/my$/, render: renderMyReservations },
  {
    name: 'boxoffice',
    pattern: /^\/boxoffice$/,
    load: () => import('./boxoffice/boxoffice-page.ts').then((m) => m.renderBoxOffice),
  },
];
