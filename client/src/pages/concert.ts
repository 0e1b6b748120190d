import { calendar } from '../components/calendar.ts';
import { poster } from '../components/poster.ts';
import { api } from '../lib/api.ts';
import { h, mount } from '../lib/dom.ts';
import { formatDate, formatTime, safeTimeZone } from '../lib/format.ts';
import { otherLang, t } from '../lib/i18n.ts';
import { withLoading } from '../lib/load.ts';
import { type Cleanup, href, type Route } from '../lib/router.ts';
import { warmLayout } from '../lib/seat-snapshot.ts';

/** Concert page: poster, description, a calendar of bookable dates and that date's performances. */
export function renderConcert(root: HTMLElement, route: Route): Cleanup {
  const concertId = route.params.concertId!;
  const body = h('div');
  mount(root, body);
  void withLoading(
    body,
    () => api.concert(concertId),
    (concert) => {
      const tz = safeTimeZone(concert.timezone);
      const requested = route.query.get('date');
      let date = requested && concert.dates.includes(requested) ? requested : (concert.dates[0] ?? null);
      const performances = h('div', { class: 'performances', 'aria-live': 'polite' });

      const showDate = (d: string) => {
        date = d;
        history.replaceState(null, '', href(`/concerts/${concertId}`, { date: d }));
        void withLoading(
          performances,
          () => api.schedules(concertId, d),
          ({ schedules }) => {
            mount(
              performances,
              h('h3', { class: 'perf-date' }, formatDate(d)),
              schedules.length
                ? h(
                    'ul',
                    { class: 'perf-list', role: 'list' },
                    schedules.map((s) => {
                      const soldOut = s.availableSeats === 0;
                      // About to open it: its layout (a stadium's is 200+ KB) starts on its way.
                      const warm = soldOut ? undefined : () => warmLayout(s.id);
                      const label = `${formatTime(s.dateTime, tz)} · ${soldOut ? t('soldOut') : t('seatsLeft', { left: s.availableSeats.toLocaleString(), total: s.totalSeats.toLocaleString() })}`;
                      return h(
                        'li',
                        null,
                        h(
                          'a',
                          {
                            class: `perf-item${soldOut ? ' sold-out' : ''}`,
                            href: href(`/concerts/${concertId}/schedules/${s.id}`, { date: d }),
                            'aria-label': label,
                            'aria-disabled': soldOut ? 'true' : false,
                            onpointerenter: warm,
                            onpointerdown: warm,
                            onfocus: warm,
                          },
                          h('span', { class: 'perf-time' }, formatTime(s.dateTime, tz)),
                          h(
                            'span',
                            { class: 'perf-left' },
                            soldOut
                              ? t('soldOut')
                              : t('seatsLeft', {
                                  left: s.availableSeats.toLocaleString(),
                                  total: s.totalSeats.toLocaleString(),
                                }),
                          ),
                          h('span', { class: 'perf-go', 'aria-hidden': 'true' }, '›'),
                        ),
                      );
                    }),
                  )
                : h('p', { class: 'empty' }, t('noPerformances')),
            );
          },
        );
      };

      mount(
        body,
        h(
          'section',
          { class: 'concert-hero' },
          poster(concert.posterImageUrl, concert.title, 'concert-hero-poster', true),
          h(
            'div',
            { class: 'concert-hero-body' },
            h('h1', { class: 'page-title', lang: otherLang(concert.title) }, concert.title),
            h('p', { class: 'concert-venue', lang: otherLang(concert.venue) }, concert.venue),
            concert.description
              ? h('p', { class: 'concert-description', lang: otherLang(concert.description) }, concert.description)
              : null,
          ),
        ),
        h(
          'section',
          { class: 'booking-grid' },
          h(
            'div',
            { class: 'card' },
            h('h2', { class: 'card-title' }, t('chooseDate')),
            calendar({ dates: concert.dates, selected: date, onSelect: showDate }),
            h('p', { class: 'hint' }, t('venueTime', { tz })),
          ),
          h('div', { class: 'card' }, h('h2', { class: 'card-title' }, t('choosePerformance')), performances),
        ),
      );
      if (date) showDate(date);
      else mount(performances, h('p', { class: 'empty' }, t('noPerformances')));
    },
  );
  return undefined;
}
