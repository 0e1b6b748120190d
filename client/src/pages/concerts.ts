import { poster } from '../components/poster.ts';
import { api } from '../lib/api.ts';
import { h, mount } from '../lib/dom.ts';
import { formatDateTime } from '../lib/format.ts';
import { otherLang, t } from '../lib/i18n.ts';
import { offsetZone, withLoading } from '../lib/load.ts';
import type { Cleanup } from '../lib/router.ts';

/** Landing page: every concert on sale with its poster, venue and next show. */
export function renderConcerts(root: HTMLElement): Cleanup {
  const list = h('div', { class: 'concert-grid-host' });
  mount(
    root,
    h('h1', { class: 'page-title' }, t('concertsTitle')),
    h('p', { class: 'page-lead' }, t('concertsLead')),
    list,
  );
  void withLoading(list, api.concerts, ({ concerts }) => {
    if (!concerts.length) {
      mount(list, h('p', { class: 'empty' }, t('concertsEmpty')));
      return;
    }
    mount(
      list,
      h(
        'ul',
        { class: 'concert-grid', role: 'list' },
        concerts.map((c, i) =>
          h(
            'li',
            null,
            h(
              'a',
              { class: 'concert-card', href: `#/concerts/${c.id}` },
              poster(c.posterImageUrl, c.title, 'concert-card-poster', i === 0),
              h(
                'div',
                { class: 'concert-card-body' },
                h('h2', { class: 'concert-card-title', lang: otherLang(c.title) }, c.title),
                h('p', { class: 'concert-card-venue', lang: otherLang(c.venue) }, c.venue),
                h(
                  'p',
                  { class: 'concert-card-date' },
                  t('nextShow', { date: formatDateTime(c.nextDateTime, offsetZone(c.nextDateTime)) }),
                ),
                h('span', { class: 'btn btn-primary btn-small', 'aria-hidden': 'true' }, t('bookNow')),
              ),
            ),
          ),
        ),
      ),
    );
  });
  return undefined;
}
