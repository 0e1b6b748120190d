import type { Presale, PresaleCodeList } from '@seatmap/shared';
import { h, mount } from '../lib/dom.ts';
import { formatDateTime } from '../lib/format.ts';
import { withLoading } from '../lib/load.ts';
import { adminApi, saveFile } from './admin-api.ts';
import { labelled, radio, submitter } from './form-kit.ts';
import { parseSeatNumbers } from './layout-draft.ts';
import { bt } from './messages.ts';
import { zonedIso } from './zoned-time.ts';

/** Codes shown on the page; the rest are in the CSV. */
const SHOWN_CODES = 200;

/**
 * A concert's presale windows (fan-club presale, SPEC §12): the windows with their codes and uses, a form to add
 * one (codes generated or imported), each window's codes shown and downloadable as CSV, and removal.
 */
export function mountPresales(el: HTMLElement, o: { token: string; concertId: string; timeZone: string }): void {
  const listHost = h('div');
  const codesHost = h('div', { class: 'bo-codes', 'aria-live': 'polite' });

  const refresh = () =>
    withLoading(
      listHost,
      () => adminApi.presales(o.token, o.concertId),
      ({ presales }) => mount(listHost, table(presales)),
    );

  function table(presales: Presale[]): HTMLElement {
    if (!presales.length) return h('p', { class: 'bo-muted' }, bt('presaleNone'));
    return h(
      'div',
      { class: 'bo-table-wrap' },
      h(
        'table',
        { class: 'bo-table' },
        h('caption', { class: 'sr-only' }, bt('presaleListTitle')),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            [bt('presaleName'), bt('presaleStarts'), bt('presaleEnds'), bt('presaleCodes'), bt('presaleUsed')].map(
              (c) => h('th', { scope: 'col' }, c),
            ),
            h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, bt('presaleActions'))),
          ),
        ),
        h(
          'tbody',
          null,
          presales.map((p) =>
            h(
              'tr',
              null,
              h('td', null, p.name),
              h('td', null, formatDateTime(p.startsAt, o.timeZone)),
              h('td', null, formatDateTime(p.endsAt, o.timeZone)),
              h(
                'td',
                { class: 'bo-right' },
                bt('presaleCodeCount', { n: p.codeCount.toLocaleString(), uses: p.maxUsesPerCode }),
              ),
              h('td', { class: 'bo-right' }, p.usedCount.toLocaleString()),
              h(
                'td',
                { class: 'bo-actions' },
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'btn btn-small',
                    'aria-label': bt('presaleShowCodesOf', { name: p.name }),
                    onclick: () => void showCodes(p),
                  },
                  bt('presaleShowCodes'),
                ),
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'btn btn-small',
                    'aria-label': bt('presaleCsvOf', { name: p.name }),
                    onclick: async () => saveFile(await adminApi.presaleCodesCsv(o.token, p.id)),
                  },
                  bt('presaleCsv'),
                ),
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'btn btn-small btn-danger-outline',
                    'aria-label': bt('presaleDeleteOf', { name: p.name }),
                    onclick: async () => {
                      if (!confirm(bt('presaleDeleteConfirm', { name: p.name }))) return;
                      await adminApi.deletePresale(o.token, p.id);
                      mount(codesHost);
                      void refresh();
                    },
                  },
                  bt('presaleDelete'),
                ),
              ),
            ),
          ),
        ),
      ),
    );
  }

  async function showCodes(p: Presale) {
    await withLoading(
      codesHost,
      () => adminApi.presaleCodes(o.token, p.id),
      (list) => mount(codesHost, codesList(p, list)),
    );
    codesHost.querySelector<HTMLElement>('h3')?.focus();
  }

  function codesList(p: Presale, list: PresaleCodeList): HTMLElement[] {
    return [
      h(
        'h3',
        { class: 'bo-subtitle', tabindex: '-1' },
        bt('presaleCodesOf', { name: p.name, n: list.codes.length.toLocaleString() }),
      ),
      h(
        'ul',
        { class: 'bo-code-list', role: 'list' },
        list.codes
          .slice(0, SHOWN_CODES)
          .map((c) =>
            h(
              'li',
              null,
              h('code', null, c.code),
              h('span', { class: 'bo-muted' }, ` ${bt('presaleUses', { n: c.uses, max: p.maxUsesPerCode })}`),
            ),
          ),
      ),
      list.codes.length > SHOWN_CODES
        ? h('p', { class: 'bo-muted' }, bt('presaleMoreInCsv', { n: SHOWN_CODES }))
        : h('span'),
    ];
  }

  // The new-window form.
  const name = h('input', { required: true, maxLength: 100, autocomplete: 'off' });
  const starts = h('input', { type: 'datetime-local', required: true });
  const ends = h('input', { type: 'datetime-local', required: true });
  const uses = h('input', {
    type: 'number',
    inputmode: 'numeric',
    min: 1,
    max: 1000,
    step: 1,
    value: '1',
    required: true,
  });
  const count = h('input', { type: 'number', inputmode: 'numeric', min: 1, max: 100_000, step: 1, value: '100' });
  const imported = h('textarea', { rows: 4, placeholder: 'FAN-0001\nFAN-0002' });
  let mode: 'generate' | 'import' = 'generate';
  const modeRadio = (value: typeof mode, label: string) =>
    radio('bo-presale-mode', value, label, value === mode, () => {
      mode = value;
    });
  const button = h('button', { type: 'submit', class: 'btn btn-primary' }, bt('presaleCreate'));
  const submit = submitter(button);
  const form = h(
    'form',
    {
      class: 'card bo-card bo-form',
      'aria-labelledby': 'bo-presale-form-title',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const startsAt = zonedIso(starts.value, o.timeZone);
        const endsAt = zonedIso(ends.value, o.timeZone);
        const codes = parseSeatNumbers(imported.value);
        if (
          !name.value.trim() ||
          !startsAt ||
          !endsAt ||
          !uses.checkValidity() ||
          (mode === 'generate' ? !count.checkValidity() || !count.value : !codes.length)
        ) {
          return submit.fail(bt('fillRequired'));
        }
        void submit.run(async () => {
          const presale = await adminApi.createPresale(o.token, o.concertId, {
            name: name.value.trim(),
            startsAt,
            endsAt,
            maxUsesPerCode: Number(uses.value),
            ...(mode === 'generate' ? { codeCount: Number(count.value) } : { codes }),
          });
          await refresh();
          await showCodes(presale);
          return bt('presaleCreated', { name: presale.name, n: presale.codeCount.toLocaleString() });
        });
      },
    },
    h('h2', { class: 'bo-card-title', id: 'bo-presale-form-title' }, bt('presaleNew')),
    h(
      'div',
      { class: 'bo-form-grid' },
      labelled('bo-ps-name', bt('presaleName'), name),
      labelled('bo-ps-starts', bt('presaleStarts'), starts, bt('dateTimeHint', { tz: o.timeZone })),
      labelled('bo-ps-ends', bt('presaleEnds'), ends, bt('dateTimeHint', { tz: o.timeZone })),
      labelled('bo-ps-uses', bt('presaleMaxUses'), uses),
    ),
    h(
      'fieldset',
      { class: 'bo-fieldset bo-mark' },
      h('legend', null, bt('presaleCodesHow')),
      modeRadio('generate', bt('presaleGenerate')),
      modeRadio('import', bt('presaleImport')),
    ),
    h(
      'div',
      { class: 'bo-form-grid' },
      labelled('bo-ps-count', bt('presaleCount'), count),
      labelled('bo-ps-import', bt('presaleImported'), imported, bt('presaleImportHint')),
    ),
    submit.error,
    submit.done,
    button,
  );

  mount(
    el,
    h(
      'div',
      { class: 'bo-setup' },
      h(
        'section',
        { class: 'card bo-card', 'aria-labelledby': 'bo-presale-list-title' },
        h('h2', { class: 'bo-card-title', id: 'bo-presale-list-title' }, bt('presaleListTitle')),
        listHost,
        codesHost,
      ),
      form,
    ),
  );
  void refresh();
}
