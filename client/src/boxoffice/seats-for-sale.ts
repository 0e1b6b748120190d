import type { WithheldSeatList } from '@seatmap/shared';
import { h, mount } from '../lib/dom.ts';
import { withLoading } from '../lib/load.ts';
import type { SeatView } from '../lib/seat-label.ts';
import { type SeatSnapshot, STATUS_CODE } from '../lib/seat-snapshot.ts';
import type { SeatStore } from '../lib/seat-store.ts';
import { adminApi } from './admin-api.ts';
import { labelled, submitter } from './form-kit.ts';
import { parseSeatNumbers } from './layout-draft.ts';
import { mapPreview } from './layout-preview.ts';
import { bt } from './messages.ts';

export interface SeatsForSaleOptions {
  token: string;
  scheduleId: string;
  /** The performance's seats and statuses now (SPEC §9: the layout and the compact status). */
  snapshot(): Promise<SeatSnapshot>;
}

/**
 * Seats not for sale (kills, house seats; SPEC §12) on one performance's map: choose seats on the map (click, or
 * arrows + Enter) or by their numbers, give a reason and withhold them, or put withheld seats back on sale. Every
 * customer's map shows the change at once; this page reloads the seats after each step.
 */
export function mountSeatsForSale(el: HTMLElement, o: SeatsForSaleOptions): () => void {
  let store: SeatStore | null = null;
  let withheld = new Map<string, { seatNumber: string; reason: string }>();
  const chosen = new Set<string>();
  let stopped = false;

  const viewOf = (s: SeatStore, i: number): SeatView => {
    const id = s.seats[i]!.id;
    if (chosen.has(id)) return 'mine';
    if (withheld.has(id)) return 'reserved';
    return s.status[i] === STATUS_CODE.held ? 'held' : s.status[i] === STATUS_CODE.reserved ? 'reserved' : 'available';
  };
  const preview = mapPreview({
    label: bt('killsMapLabel'),
    viewOf,
    onSeat: (s, i) => {
      const id = s.seats[i]!.id;
      // Only free seats can be withheld and only withheld ones released; sold and held seats stay as they are.
      if (!withheld.has(id) && s.status[i] !== STATUS_CODE.available) return;
      if (chosen.has(id)) chosen.delete(id);
      else chosen.add(id);
      showChoice();
      preview.redraw();
    },
  });

  const numbers = h('input', { type: 'text', autocomplete: 'off', placeholder: 'A01, A02' });
  const reason = h('input', {
    type: 'text',
    maxLength: 100,
    autocomplete: 'off',
    placeholder: bt('killsReasonExample'),
  });
  const choice = h('p', { class: 'bo-muted', 'aria-live': 'polite' });
  const withholdButton = h('button', { type: 'submit', class: 'btn btn-primary' }, bt('killsWithhold'));
  const releaseButton = h('button', { type: 'button', class: 'btn' }, bt('killsRelease'));
  const submit = submitter(withholdButton);
  const list = h('div', { class: 'bo-withheld' });

  const idByNumber = () => new Map(store?.seats.map((s) => [s.seatNumber, s.id]) ?? []);
  const addNumbers = () => {
    if (!numbers.value.trim()) return;
    const ids = idByNumber();
    for (const n of parseSeatNumbers(numbers.value)) {
      const id = ids.get(n);
      if (id) chosen.add(id);
    }
    numbers.value = '';
    showChoice();
    preview.redraw();
  };
  numbers.addEventListener('change', addNumbers);
  // Enter adds the numbers to the choice; it does not submit the form.
  numbers.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    addNumbers();
  });

  function showChoice() {
    const names = [...chosen].flatMap((id) => {
      const i = store?.indexById.get(id);
      return i === undefined ? [] : [store!.seats[i]!.seatNumber];
    });
    choice.textContent = names.length
      ? bt('killsChosen', { n: names.length, seats: names.join(', ') })
      : bt('killsNone');
  }

  function showList(list: WithheldSeatList) {
    withheld = new Map(list.withheld.map((w) => [w.seatId, { seatNumber: w.seatNumber, reason: w.reason }]));
  }

  function drawList() {
    mount(
      list,
      h('h3', { class: 'bo-subtitle' }, bt('killsListTitle', { n: withheld.size })),
      withheld.size
        ? h(
            'div',
            { class: 'bo-table-wrap' },
            h(
              'table',
              { class: 'bo-table' },
              h('caption', { class: 'sr-only' }, bt('killsListTitle', { n: withheld.size })),
              h(
                'thead',
                null,
                h(
                  'tr',
                  null,
                  h('th', { scope: 'col' }, bt('colSeat')),
                  h('th', { scope: 'col' }, bt('killsReason')),
                  h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, bt('killsRelease'))),
                ),
              ),
              h(
                'tbody',
                null,
                [...withheld].map(([seatId, w]) =>
                  h(
                    'tr',
                    null,
                    h('td', null, w.seatNumber),
                    h('td', null, w.reason),
                    h(
                      'td',
                      null,
                      h(
                        'button',
                        {
                          type: 'button',
                          class: 'btn btn-small',
                          'aria-label': bt('killsReleaseOne', { seat: w.seatNumber }),
                          onclick: () => void change([seatId], true),
                        },
                        bt('killsRelease'),
                      ),
                    ),
                  ),
                ),
              ),
            ),
          )
        : h('p', { class: 'bo-muted' }, bt('killsEmpty')),
    );
  }

  async function load() {
    const [snapshot, list] = await Promise.all([o.snapshot(), adminApi.withheld(o.token, o.scheduleId)]);
    if (stopped) return;
    showList(list);
    // The layout stays; only the statuses move (the map keeps its zoom and keyboard place).
    if (store?.seats.length !== snapshot.seats.length) store = preview.show(snapshot.seats);
    store.status.set(snapshot.codes);
    preview.redraw();
    showChoice();
    drawList();
  }

  async function change(seatIds: string[], forSale: boolean) {
    const why = reason.value.trim();
    if (!forSale && !why) {
      reason.focus();
      return submit.fail(bt('killsReasonRequired'));
    }
    await submit.run(async () => {
      await adminApi.setForSale(
        o.token,
        o.scheduleId,
        forSale ? { seatIds, forSale: true } : { seatIds, forSale: false, reason: why },
      );
      for (const id of seatIds) chosen.delete(id);
      await load();
      return forSale ? bt('killsReleased', { n: seatIds.length }) : bt('killsWithheld', { n: seatIds.length });
    });
  }

  releaseButton.addEventListener('click', () => {
    const ids = [...chosen].filter((id) => withheld.has(id));
    if (ids.length) void change(ids, true);
    else submit.fail(bt('killsChooseWithheld'));
  });

  const form = h(
    'form',
    {
      class: 'card bo-card bo-form',
      'aria-labelledby': 'bo-kills-title',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const ids = [...chosen].filter((id) => !withheld.has(id));
        if (!ids.length) return submit.fail(bt('killsChooseFree'));
        void change(ids, false);
      },
    },
    h('h2', { class: 'bo-card-title', id: 'bo-kills-title' }, bt('killsTitle')),
    h('p', { class: 'bo-muted' }, bt('killsHelp')),
    h(
      'div',
      { class: 'bo-editor' },
      h('div', { class: 'bo-editor-preview' }, preview.element),
      h(
        'div',
        { class: 'bo-editor-fields' },
        labelled('bo-k-numbers', bt('killsByNumber'), numbers, bt('killsByNumberHint')),
        choice,
        labelled('bo-k-reason', bt('killsReason'), reason),
        submit.error,
        submit.done,
        h('div', { class: 'bo-actions' }, withholdButton, releaseButton),
        list,
      ),
    ),
  );
  void withLoading(el, load, () => mount(el, form));
  return () => {
    stopped = true;
    preview.destroy();
  };
}
