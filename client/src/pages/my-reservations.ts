import {
  emailSchema,
  isMaskedReservationNumber,
  koreanMobileSchema,
  type LookupBody,
  type LookupItem,
} from '@seatmap/shared';
import { toast } from '../components/announcer.ts';
import { openDialog } from '../components/dialog.ts';
import { field } from '../components/field.ts';
import { api } from '../lib/api.ts';
import { h, mount } from '../lib/dom.ts';
import { formatDateTime, formatPrice } from '../lib/format.ts';
import { lastReservation } from '../lib/hold-session.ts';
import { otherLang, t } from '../lib/i18n.ts';
import { describeError, offsetZone } from '../lib/load.ts';
import type { Cleanup } from '../lib/router.ts';
import { ticketsText } from '../lib/seat-label.ts';

type Contact = { phone: string } | { email: string };

function contactOf(value: string): Contact | null {
  const v = value.trim();
  if (v.includes('@')) return emailSchema.safeParse(v).success ? { email: v } : null;
  return koreanMobileSchema.safeParse(v).success ? { phone: v } : null;
}

/** "My reservations": look up with two factors, then cancel with a confirmation step. */
export function renderMyReservations(root: HTMLElement): Cleanup {
  const last = lastReservation();
  const contact = field({
    id: 'lookup-contact',
    label: t('contact'),
    autocomplete: 'tel',
    hint: t('phoneHint'),
    value: last?.customer.phone ?? '',
    validate: (v) => (contactOf(v) ? null : t('contactInvalid')),
  });
  // The second factor is the reservation number or the name; the customer says which (names can look like numbers).
  let byName = false;
  const second = field({
    id: 'lookup-second',
    label: t('reservationNumber'),
    value: last?.reservationNumber ?? '',
    validate: (v) => (v.trim() ? null : t('numberOrNameRequired')),
  });
  const secondLabel = second.element.querySelector('label')!;
  const kind = (value: 'number' | 'name', text: string) =>
    h(
      'label',
      { class: 'radio' },
      h('input', {
        type: 'radio',
        name: 'lookup-kind',
        value,
        checked: value === 'number',
        onchange: () => {
          byName = value === 'name';
          secondLabel.textContent = byName ? t('name') : t('reservationNumber');
          second.input.value = byName ? (last?.customer.name ?? '') : (last?.reservationNumber ?? '');
          second.input.autocomplete = byName ? 'name' : 'off';
        },
      }),
      h('span', null, text),
    );
  const kindGroup = h(
    'fieldset',
    { class: 'radio-group' },
    h('legend', null, t('numberOrName')),
    kind('number', t('reservationNumber')),
    kind('name', t('name')),
  );
  const results = h('div', { class: 'lookup-results', 'aria-live': 'polite' });
  let used: Contact | null = null;

  const lookup = async (e?: Event) => {
    e?.preventDefault();
    const ok = [contact.check(), second.check()];
    if (ok.includes(false)) {
      [contact, second][ok.indexOf(false)]!.input.focus();
      return;
    }
    used = contactOf(contact.input.value)!;
    const v = second.input.value.trim();
    const body: LookupBody = { ...used, ...(byName ? { name: v } : { reservationNumber: v.toUpperCase() }) };
    mount(results, h('p', { class: 'loading', role: 'status' }, t('loading')));
    try {
      const { reservations } = await api.lookup(body);
      showResults(reservations);
    } catch (err) {
      mount(results, h('div', { class: 'error-box', role: 'alert' }, describeError(err)));
    }
  };

  const cancel = async (item: LookupItem, button: HTMLButtonElement) => {
    const seats = item.seats.map((s) => s.seatNumber).join(', ');
    const choice = await openDialog({
      title: t('cancelConfirmTitle'),
      body: [t('cancelConfirmBody', { number: item.reservationNumber, seats })],
      actions: [
        { label: t('cancelNo'), value: 'no' },
        { label: t('cancelYes'), value: 'yes', danger: true, primary: true },
      ],
      dismissValue: 'no',
    }).result;
    if (choice !== 'yes' || !used) return;
    button.disabled = true;
    try {
      await api.cancel(item.reservationNumber, used);
      toast(t('cancelDone', { number: item.reservationNumber }));
      await lookup();
    } catch (err) {
      button.disabled = false;
      toast(describeError(err), 'error');
    }
  };

  const showResults = (items: LookupItem[]) => {
    if (!items.length) {
      mount(results, h('p', { class: 'empty' }, t('lookupEmpty')));
      return;
    }
    mount(
      results,
      h(
        'ul',
        { class: 'reservation-list', role: 'list' },
        items.map((item) => {
          const cancelled = item.status === 'cancelled';
          const cancelBtn = h(
            'button',
            { type: 'button', class: 'btn btn-danger-outline', onclick: () => void cancel(item, cancelBtn) },
            t('cancel'),
          );
          return h(
            'li',
            { class: `card reservation-card${cancelled ? ' is-cancelled' : ''}` },
            h(
              'div',
              { class: 'reservation-head' },
              h('h2', { class: 'card-title', lang: otherLang(item.concertTitle) }, item.concertTitle),
              h(
                'span',
                { class: `status-chip ${cancelled ? 'is-reserved' : 'is-available'}` },
                cancelled ? t('statusCancelled') : t('statusConfirmed'),
              ),
            ),
            h(
              'dl',
              { class: 'confirm-details' },
              h('dt', null, t('reservationNumber')),
              h('dd', null, h('code', { class: 'resno-inline' }, item.reservationNumber)),
              h('dt', null, t('when')),
              h('dd', null, formatDateTime(item.dateTime, offsetZone(item.dateTime))),
              h('dt', null, t('seatsLabel')),
              h('dd', null, ticketsText(item, false)),
              h('dt', null, t('total')),
              h('dd', null, formatPrice(item.totalPrice)),
              cancelled && item.cancelledAt
                ? [
                    h('dt', null, t('statusCancelled')),
                    h('dd', null, formatDateTime(item.cancelledAt, offsetZone(item.dateTime))),
                  ]
                : null,
            ),
            cancelled
              ? null
              : // A lookup by name shows the number masked; only the full number (shown at booking) cancels.
                isMaskedReservationNumber(item.reservationNumber)
                ? h('p', { class: 'muted' }, t('cancelNeedsNumber'))
                : cancelBtn,
          );
        }),
      ),
    );
  };

  mount(
    root,
    h('h1', { class: 'page-title' }, t('myTitle')),
    h(
      'div',
      { class: 'my-grid' },
      h(
        'form',
        { class: 'card lookup-form', novalidate: true, onsubmit: (e: Event) => void lookup(e) },
        h('p', { class: 'muted' }, t('myIntro')),
        contact.element,
        kindGroup,
        second.element,
        h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, t('lookup')),
      ),
      results,
    ),
  );
  return undefined;
}
