import { customerNameSchema, emailSchema, formatPhone, koreanMobileSchema } from '@seatmap/shared';
import { toast } from '../components/announcer.ts';
import { field } from '../components/field.ts';
import { holdTimer } from '../components/hold-timer.ts';
import { bookingApi } from '../lib/api.ts';
import { h, mount } from '../lib/dom.ts';
import { formatDateTime, formatPrice } from '../lib/format.ts';
import { holdSession, setLastReservation } from '../lib/hold-session.ts';
import { ApiError } from '../lib/http.ts';
import { otherLang, t } from '../lib/i18n.ts';
import { describeError } from '../lib/load.ts';
import { type Cleanup, href, navigate } from '../lib/router.ts';
import { gradeText, seatShortName } from '../lib/seat-label.ts';

/** Customer form for the current hold: name, phone, optional email, validated inline, then the booking. */
export function renderCheckout(root: HTMLElement): Cleanup {
  const session = holdSession.get();
  if (!session) {
    mount(
      root,
      h('h1', { class: 'page-title' }, t('checkoutTitle')),
      h('div', { class: 'card' }, h('p', null, t('noHold')), h('a', { class: 'btn', href: '#/' }, t('navConcerts'))),
    );
    return undefined;
  }
  const seatsPath = href(`/concerts/${session.concertId}/schedules/${session.hold.scheduleId}`, {
    date: session.date || undefined,
  });
  const places = session.areaPlaces ?? null;
  const total = session.seats.reduce((sum, s) => sum + s.price, 0) + (places ? places.price * places.quantity : 0);

  const name = field({
    id: 'customer-name',
    label: t('name'),
    autocomplete: 'name',
    required: true,
    validate: (v) => (customerNameSchema.safeParse(v).success ? null : t('nameRequired')),
  });
  const phone = field({
    id: 'customer-phone',
    label: t('phone'),
    type: 'tel',
    autocomplete: 'tel',
    inputmode: 'tel',
    hint: t('phoneHint'),
    required: true,
    validate: (v) => (koreanMobileSchema.safeParse(v).success ? null : t('phoneInvalid')),
  });
  phone.input.addEventListener('blur', () => {
    if (koreanMobileSchema.safeParse(phone.input.value).success) phone.input.value = formatPhone(phone.input.value);
  });
  const email = field({
    id: 'customer-email',
    label: t('email'),
    type: 'email',
    autocomplete: 'email',
    validate: (v) => (v.trim() === '' || emailSchema.safeParse(v.trim()).success ? null : t('emailInvalid')),
  });
  const formError = h('div', { class: 'error-box', role: 'alert', hidden: true });
  const submit = h(
    'button',
    { type: 'submit', class: 'btn btn-primary btn-block btn-large' },
    t('confirmBooking', { total: formatPrice(total) }),
  );

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    formError.hidden = true;
    const results = [name.check(), phone.check(), email.check()];
    if (results.includes(false)) {
      [name, phone, email][results.indexOf(false)]!.input.focus();
      return;
    }
    submit.disabled = true;
    try {
      const reservation = await bookingApi(session.concertId).reserve(
        {
          holdId: session.hold.holdId,
          customer: {
            name: name.input.value.trim(),
            phone: phone.input.value.trim(),
            ...(email.input.value.trim() ? { email: email.input.value.trim() } : {}),
          },
        },
        session.idempotencyKey,
      );
      setLastReservation({ ...reservation, timezone: session.timezone, venue: session.venue });
      // The hold is consumed by the booking: the session ends here, not by the expiry path.
      holdSession.set(null);
      navigate(`/reservations/${reservation.reservationNumber}`);
    } catch (err) {
      submit.disabled = false;
      if (err instanceof ApiError && err.code === 'HOLD_NOT_FOUND') {
        holdSession.expire();
        return;
      }
      if (err instanceof ApiError && err.code === 'VALIDATION_FAILED') showIssues(err);
      formError.hidden = false;
      mount(formError, h('p', null, describeError(err)));
      toast(describeError(err), 'error');
    }
  };

  // Map server-side field issues onto the inputs (details.issues: [{path, message}]).
  const showIssues = (err: ApiError) => {
    const issues = Array.isArray(err.details.issues) ? (err.details.issues as { path?: unknown }[]) : [];
    for (const issue of issues) {
      const path = Array.isArray(issue.path) ? issue.path.join('.') : String(issue.path ?? '');
      if (path.endsWith('name')) name.setError(t('nameRequired'));
      if (path.endsWith('phone')) phone.setError(t('phoneInvalid'));
      if (path.endsWith('email')) email.setError(t('emailInvalid'));
    }
  };

  mount(
    root,
    h('a', { class: 'back-link', href: seatsPath }, `‹ ${t('backToSeats')}`),
    h('h1', { class: 'page-title' }, t('checkoutTitle')),
    h(
      'div',
      { class: 'checkout-grid' },
      h(
        'form',
        { class: 'card checkout-form', novalidate: true, onsubmit: (e: Event) => void onSubmit(e) },
        formError,
        name.element,
        phone.element,
        email.element,
        submit,
      ),
      h(
        'aside',
        { class: 'card order-card' },
        holdTimer(),
        h('h2', { class: 'card-title', lang: otherLang(session.concertTitle) }, session.concertTitle),
        h(
          'p',
          { class: 'muted' },
          session.dateTime ? formatDateTime(session.dateTime, session.timezone) : null,
          session.dateTime && session.venue ? ' · ' : null,
          session.venue ? h('span', { lang: otherLang(session.venue) }, session.venue) : null,
        ),
        h(
          'ul',
          { class: 'selection-list', role: 'list' },
          places
            ? h(
                'li',
                null,
                h(
                  'span',
                  { class: 'sel-main' },
                  h('span', { class: 'sel-name' }, t('areaInSelection', { name: places.name, n: places.quantity })),
                  h(
                    'span',
                    { class: 'sel-meta' },
                    `${gradeText(places.grade)} · ${formatPrice(places.price)} × ${places.quantity}`,
                  ),
                ),
              )
            : null,
          session.seats.map((s) =>
            h(
              'li',
              null,
              h(
                'span',
                { class: 'sel-main' },
                h('span', { class: 'sel-name' }, seatShortName(s, session.withSection)),
                h('span', { class: 'sel-meta' }, `${gradeText(s.grade)} · ${formatPrice(s.price)}`),
              ),
            ),
          ),
        ),
        h(
          'div',
          { class: 'total-row' },
          h('span', null, t('total')),
          h('strong', { class: 'total' }, formatPrice(total)),
        ),
      ),
    ),
  );
  return undefined;
}
