import type { AdminSchedule, LayoutAreaInput } from '@seatmap/shared';
import { h } from '../lib/dom.ts';
import type { FlaggedSeat } from '../lib/seat-label.ts';
import { adminApi } from './admin-api.ts';
import { labelled, radio, submitter } from './form-kit.ts';
import { draftLayout, type LayoutDraft, nextPosition, parseSeatNumbers, type SectionDraft } from './layout-draft.ts';
import { mapPreview } from './layout-preview.ts';
import { bt } from './messages.ts';
import { type Column, rowEditor } from './row-editor.ts';
import { zonedIso } from './zoned-time.ts';

const PREVIEW_DELAY_MS = 150;

/** A hall to start from: three grades in front of the stage. */
const STARTER: SectionDraft[] = [
  { name: 'VIP', grade: 'VIP', price: 165_000, rows: 3, seatsPerRow: 12, x: 4, y: 0 },
  { name: 'R', grade: 'R', price: 132_000, rows: 5, seatsPerRow: 20, x: 0, y: 5 },
  { name: 'S', grade: 'S', price: 99_000, rows: 4, seatsPerRow: 20, x: 0, y: 12 },
];

type Flag = 'accessible' | 'companion';

export interface PerformanceFormOptions {
  token: string;
  concertId: string;
  concertTitle: string;
  timeZone: string;
  onCreated(schedule: AdminSchedule): void;
}

/**
 * The new-performance card: date and time (venue-local), the section and standing-area editors, wheelchair and
 * companion seats (typed, or marked by clicking the preview) and, beside them, the live preview of the map the
 * customers will see, drawn from the same generator the server uses → `POST /api/admin/concerts/:id/schedules`.
 */
export function performanceForm(o: PerformanceFormOptions): { element: HTMLElement; destroy(): void } {
  const when = h('input', { type: 'datetime-local', required: true });
  const draft: LayoutDraft = {
    sections: STARTER.map((s) => ({ ...s })),
    areas: [],
    accessibleSeats: [],
    companionSeats: [],
  };

  // Clicking a seat of the preview marks it as the chosen kind (or unmarks it).
  let marking: Flag = 'accessible';
  const flagInputs: Record<Flag, HTMLInputElement> = {
    accessible: h('input', { type: 'text', autocomplete: 'off', placeholder: 'A01, A02' }),
    companion: h('input', { type: 'text', autocomplete: 'off', placeholder: 'A03' }),
  };
  const listOf = (flag: Flag) => (flag === 'accessible' ? draft.accessibleSeats : draft.companionSeats);
  const setList = (flag: Flag, numbers: string[]) => {
    if (flag === 'accessible') draft.accessibleSeats = numbers;
    else draft.companionSeats = numbers;
  };
  for (const flag of ['accessible', 'companion'] as const) {
    flagInputs[flag].addEventListener('input', () => {
      setList(flag, parseSeatNumbers(flagInputs[flag].value));
      showPreview();
    });
  }

  const preview = mapPreview({
    label: bt('previewLabel'),
    onSeat: (store, i) => {
      const seat = store.seats[i] as FlaggedSeat;
      const other: Flag = marking === 'accessible' ? 'companion' : 'accessible';
      const list = listOf(marking);
      setList(
        marking,
        list.includes(seat.seatNumber) ? list.filter((n) => n !== seat.seatNumber) : [...list, seat.seatNumber],
      );
      setList(
        other,
        listOf(other).filter((n) => n !== seat.seatNumber),
      );
      for (const flag of ['accessible', 'companion'] as const) flagInputs[flag].value = listOf(flag).join(', ');
      showPreview(0);
    },
  });
  const totals = h('p', { class: 'bo-muted', 'aria-live': 'polite' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  function showPreview(delay = PREVIEW_DELAY_MS) {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const { seats, areas } = draftLayout(draft);
      preview.show(seats, areas);
      const standing = areas.reduce((sum, a) => sum + a.capacity, 0);
      const seated = bt(draft.sections.length === 1 ? 'previewTotalsOne' : 'previewTotals', {
        seats: seats.length.toLocaleString(),
        sections: draft.sections.length,
      });
      const standingKey = areas.length === 1 ? 'previewStandingOne' : 'previewStanding';
      totals.textContent = areas.length
        ? `${seated} · ${bt(standingKey, { n: standing.toLocaleString(), areas: areas.length })}`
        : seated;
    }, delay);
  }

  const sectionColumns: Column<SectionDraft>[] = [
    { key: 'name', label: bt('colSection'), kind: 'text', maxLength: 20 },
    { key: 'grade', label: bt('colGrade'), kind: 'text', maxLength: 5 },
    { key: 'price', label: bt('colPrice'), kind: 'number', min: 0, max: 100_000_000 },
    { key: 'rows', label: bt('colRows'), kind: 'number', min: 1, max: 200 },
    { key: 'seatsPerRow', label: bt('colSeatsPerRow'), kind: 'number', min: 1, max: 500 },
    { key: 'x', label: bt('colX'), kind: 'number', min: -10_000, max: 10_000 },
    { key: 'y', label: bt('colY'), kind: 'number', min: -10_000, max: 10_000 },
  ];
  const sections = rowEditor<SectionDraft>({
    id: 'bo-sections',
    caption: bt('sectionsCaption'),
    columns: sectionColumns,
    rows: draft.sections,
    make: (rows) => ({
      name: String.fromCharCode(65 + (rows.length % 26)),
      grade: 'A',
      price: 77_000,
      rows: 4,
      seatsPerRow: 20,
      ...nextPosition([...rows, ...draft.areas]),
    }),
    rowName: (row, i) => row.name.trim() || String(i + 1),
    addLabel: bt('addSection'),
    onChange: (rows) => {
      draft.sections = rows;
      showPreview();
    },
  });
  const areaColumns: Column<LayoutAreaInput>[] = [
    { key: 'name', label: bt('colArea'), kind: 'text', maxLength: 20 },
    { key: 'grade', label: bt('colGrade'), kind: 'text', maxLength: 5 },
    { key: 'price', label: bt('colPrice'), kind: 'number', min: 0, max: 100_000_000 },
    { key: 'capacity', label: bt('colCapacity'), kind: 'number', min: 1, max: 100_000 },
    { key: 'x', label: bt('colX'), kind: 'number', min: -10_000, max: 10_000 },
    { key: 'y', label: bt('colY'), kind: 'number', min: -10_000, max: 10_000 },
    { key: 'width', label: bt('colWidth'), kind: 'number', min: 1, max: 10_000 },
    { key: 'height', label: bt('colHeight'), kind: 'number', min: 1, max: 10_000 },
  ];
  const areas = rowEditor<LayoutAreaInput>({
    id: 'bo-areas',
    caption: bt('areasCaption'),
    columns: areaColumns,
    rows: [],
    make: (rows) => ({
      name: rows.length ? `${bt('standingDefault')} ${rows.length + 1}` : bt('standingDefault'),
      grade: 'GA',
      price: 110_000,
      capacity: 500,
      width: 20,
      height: 6,
      ...nextPosition([...draft.sections, ...rows]),
    }),
    rowName: (row, i) => row.name.trim() || String(i + 1),
    addLabel: bt('addArea'),
    onChange: (rows) => {
      draft.areas = rows;
      showPreview();
    },
  });

  const markRadio = (flag: Flag) =>
    radio('bo-mark', flag, flag === 'accessible' ? bt('markAccessible') : bt('markCompanion'), flag === marking, () => {
      marking = flag;
    });

  const button = h('button', { type: 'submit', class: 'btn btn-primary' }, bt('createPerformance'));
  const submit = submitter(button);
  const element = h(
    'form',
    {
      class: 'card bo-card bo-form',
      'aria-labelledby': 'bo-perf-form-title',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const dateTime = zonedIso(when.value, o.timeZone);
        if (!dateTime) {
          when.setAttribute('aria-invalid', 'true');
          when.focus();
          return submit.fail(bt('dateTimeRequired'));
        }
        when.setAttribute('aria-invalid', 'false');
        const sectionRows = sections.values();
        const areaRows = sectionRows && areas.values();
        if (!sectionRows || !areaRows) return;
        if (!sectionRows.length && !areaRows.length) return submit.fail(bt('needSectionOrArea'));
        void submit.run(async () => {
          const schedule = await adminApi.createSchedule(o.token, o.concertId, {
            dateTime,
            layout: {
              sections: sectionRows,
              ...(areaRows.length ? { areas: areaRows } : {}),
              ...(draft.accessibleSeats.length ? { accessibleSeats: draft.accessibleSeats } : {}),
              ...(draft.companionSeats.length ? { companionSeats: draft.companionSeats } : {}),
            },
          });
          o.onCreated(schedule);
          return bt('performanceCreated', { seats: schedule.totalSeats.toLocaleString() });
        });
      },
    },
    h('h2', { class: 'bo-card-title', id: 'bo-perf-form-title' }, bt('newPerformance', { title: o.concertTitle })),
    labelled('bo-p-when', bt('dateTime'), when, bt('dateTimeHint', { tz: o.timeZone })),
    h(
      'div',
      { class: 'bo-editor' },
      h(
        'div',
        { class: 'bo-editor-fields' },
        sections.element,
        areas.element,
        h(
          'fieldset',
          { class: 'bo-fieldset' },
          h('legend', null, bt('flagsCaption')),
          labelled('bo-p-accessible', bt('accessibleSeats'), flagInputs.accessible, bt('seatNumbersHint')),
          labelled('bo-p-companion', bt('companionSeats'), flagInputs.companion, bt('seatNumbersHint')),
        ),
      ),
      h(
        'div',
        { class: 'bo-editor-preview' },
        h('h3', { class: 'bo-subtitle' }, bt('previewLabel')),
        h(
          'fieldset',
          { class: 'bo-fieldset bo-mark' },
          h('legend', null, bt('markLegend')),
          markRadio('accessible'),
          markRadio('companion'),
        ),
        preview.element,
        totals,
      ),
    ),
    submit.error,
    submit.done,
    button,
  );
  showPreview(0);
  return {
    element,
    destroy: () => {
      clearTimeout(timer);
      preview.destroy();
    },
  };
}
