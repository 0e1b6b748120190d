import type { AdminConcert } from '@seatmap/shared';
import { h } from '../lib/dom.ts';
import { adminApi } from './admin-api.ts';
import { labelled, submitter } from './form-kit.ts';
import { bt } from './messages.ts';

/** Zones a Korean box office sells in most; any other IANA zone can be typed. */
const ZONES = ['Asia/Seoul', 'Asia/Tokyo', 'Asia/Singapore', 'America/Los_Angeles', 'Europe/London'];

/** The new-concert card: title, venue, time zone, description, poster → `POST /api/admin/concerts`. */
export function concertForm(token: string, onCreated: (concert: AdminConcert) => void): HTMLElement {
  const title = h('input', { required: true, maxLength: 255, autocomplete: 'off' });
  const venue = h('input', { required: true, maxLength: 255, autocomplete: 'off' });
  const timezone = h('input', { required: true, maxLength: 64, value: 'Asia/Seoul' });
  // `list` is a read-only property of an input: it can only be set as an attribute.
  timezone.setAttribute('list', 'bo-zones');
  const description = h('textarea', { rows: 3, maxLength: 10_000 });
  const poster = h('input', { type: 'text', maxLength: 2000, inputmode: 'url', placeholder: '/posters/…' });
  const button = h('button', { type: 'submit', class: 'btn btn-primary' }, bt('createConcert'));
  const submit = submitter(button);
  return h(
    'form',
    {
      class: 'card bo-card bo-form',
      'aria-labelledby': 'bo-concert-form-title',
      onsubmit: (e: Event) => {
        e.preventDefault();
        if (!title.value.trim() || !venue.value.trim()) return submit.fail(bt('fillRequired'));
        void submit.run(async () => {
          const concert = await adminApi.createConcert(token, {
            title: title.value.trim(),
            venue: venue.value.trim(),
            timezone: timezone.value.trim() || undefined,
            description: description.value.trim() || undefined,
            posterImageUrl: poster.value.trim() || undefined,
          });
          onCreated(concert);
          return bt('concertCreated', { title: concert.title });
        });
      },
    },
    h('h2', { class: 'bo-card-title', id: 'bo-concert-form-title' }, bt('newConcert')),
    h(
      'div',
      { class: 'bo-form-grid' },
      labelled('bo-c-title', bt('concertTitle'), title),
      labelled('bo-c-venue', bt('venue'), venue),
      labelled('bo-c-tz', bt('timezone'), timezone, bt('timezoneHint')),
      labelled('bo-c-poster', bt('poster'), poster, bt('posterHint')),
    ),
    h(
      'datalist',
      { id: 'bo-zones' },
      ZONES.map((z) => h('option', { value: z })),
    ),
    labelled('bo-c-desc', bt('description'), description),
    submit.error,
    submit.done,
    button,
  );
}
