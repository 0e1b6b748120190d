import { toast } from '../components/announcer.ts';
import { h, mount } from '../lib/dom.ts';
import { formatDateTime, formatPrice } from '../lib/format.ts';
import { lastReservation } from '../lib/hold-session.ts';
import { otherLang, t } from '../lib/i18n.ts';
import type { Cleanup, Route } from '../lib/router.ts';
import { ticketsText } from '../lib/seat-label.ts';

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Plain http on another host has no clipboard API: fall back to a selected textarea.
    const area = h('textarea', { value: text, class: 'sr-only', readonly: true });
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

/** Confirmation: the reservation number (with a copy button) and what was booked. */
export function renderConfirmation(root: HTMLElement, route: Route): Cleanup {
  const number = route.params.reservationNumber!;
  const r = lastReservation();
  const details = r && r.reservationNumber === number ? r : null;
  const copyBtn = h(
    'button',
    {
      type: 'button',
      class: 'btn',
      onclick: async () => {
        if (await copyText(number)) {
          copyBtn.textContent = t('copied');
          toast(t('copied'));
          setTimeout(() => (copyBtn.textContent = t('copy')), 2000);
        }
      },
    },
    t('copy'),
  );
  mount(
    root,
    h(
      'div',
      { class: 'card confirm-card' },
      h('div', { class: 'confirm-icon', 'aria-hidden': 'true' }, '✓'),
      h('h1', { class: 'page-title' }, t('confirmedTitle')),
      h(
        'div',
        { class: 'resno' },
        h('span', { class: 'resno-label', id: 'resno-label' }, t('reservationNumber')),
        h(
          'output',
          { class: 'resno-value', 'aria-labelledby': 'resno-label', 'data-testid': 'reservation-number' },
          number,
        ),
        copyBtn,
      ),
      h('p', { class: 'muted' }, t('keepNumber')),
      details
        ? h(
            'dl',
            { class: 'confirm-details' },
            h('dt', null, details.concert.title ? t('navConcerts') : ''),
            h('dd', { lang: otherLang(details.concert.title) }, details.concert.title),
            h('dt', null, t('when')),
            h(
              'dd',
              null,
              formatDateTime(details.schedule.dateTime, details.timezone),
              details.venue ? [' · ', h('span', { lang: otherLang(details.venue) }, details.venue)] : null,
            ),
            h('dt', null, t('seatsLabel')),
            h('dd', null, ticketsText(details, true)),
            h('dt', null, t('total')),
            h('dd', null, h('strong', null, formatPrice(details.totalPrice))),
            h('dt', null, t('customer')),
            h(
              'dd',
              null,
              h('span', { lang: otherLang(details.customer.name) }, details.customer.name),
              ` · ${details.customer.phone}`,
            ),
          )
        : null,
      h('a', { class: 'btn btn-primary', href: '#/my' }, t('goMyReservations')),
    ),
  );
  return undefined;
}
