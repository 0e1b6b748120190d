import type { AdminSchedule } from '@seatmap/shared';
import { h } from '../lib/dom.ts';
import { adminApi } from './admin-api.ts';
import { labelled, submitter } from './form-kit.ts';
import { draftSeats, nextSectionPosition, type SectionDraft } from './layout-draft.ts';
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

export interface PerformanceFormOptions {
  token: string;
  concertId: string;
  concertTitle: string;
  timeZone: string;
  onCreated(schedule: AdminSchedule): void;
}

/**
 * The new-performance card: date and time (venue-local), the section editor and, beside it, the live preview of
 * the map the customers will see → `POST /api/admin/concerts/:id/schedules`.
 */
export function performanceForm(o: PerformanceFormOptions): { element: HTMLElement; destroy(): void } {
  const when = h('input', { type: 'datetime-local', required: true });
  const columns: Column<SectionDraft>[] = [
    { key: 'name', label: bt('colSection'), kind: 'text', maxLength: 20 },
    { key: 'grade', label: bt('colGrade'), kind: 'text', maxLength: 5 },
    { key: 'price', label: bt('colPrice'), kind: 'number', min: 0, max: 100_000_000 },
    { key: 'rows', label: bt('colRows'), kind: 'number', min: 1, max: 200 },
    { key: 'seatsPerRow', label: bt('colSeatsPerRow'), kind: 'number', min: 1, max: 500 },
    { key: 'x', label: bt('colX'), kind: 'number', min: 0, max: 2000 },
    { key: 'y', label: bt('colY'), kind: 'number', min: 0, max: 2000 },
  ];
  const preview = mapPreview({ label: bt('previewLabel') });
  const totals = h('p', { class: 'bo-muted', 'aria-live': 'polite' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const showPreview = (sections: readonly SectionDraft[]) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const seats = draftSeats(sections);
      preview.show(seats);
      totals.textContent = bt('previewTotals', { seats: seats.length.toLocaleString(), sections: sections.length });
    }, PREVIEW_DELAY_MS);
  };
  const sections = rowEditor<SectionDraft>({
    id: 'bo-sections',
    caption: bt('sectionsCaption'),
    columns,
    rows: STARTER,
    minRows: 1,
    make: (rows) => ({
      name: String.fromCharCode(65 + (rows.length % 26)),
      grade: 'A',
      price: 77_000,
      rows: 4,
      seatsPerRow: 20,
      ...nextSectionPosition(rows),
    }),
    rowName: (row, i) => row.name.trim() || String(i + 1),
    addLabel: bt('addSection'),
    onChange: showPreview,
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
        const rows = sections.values();
        if (!rows) return;
        void submit.run(async () => {
          const schedule = await adminApi.createSchedule(o.token, o.concertId, {
            dateTime,
            layout: { sections: rows },
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
      h('div', { class: 'bo-editor-fields' }, sections.element),
      h(
        'div',
        { class: 'bo-editor-preview' },
        h('h3', { class: 'bo-subtitle' }, bt('previewLabel')),
        preview.element,
        totals,
      ),
    ),
    submit.error,
    submit.done,
    button,
  );
  showPreview(STARTER);
  return {
    element,
    destroy: () => {
      clearTimeout(timer);
      preview.destroy();
    },
  };
}
