import { h } from '../lib/dom.ts';
import { t } from '../lib/i18n.ts';
import { gradeText } from '../lib/seat-label.ts';

/**
 * "Let the server choose": a seat count, an optional grade and — where the venue has wheelchair spaces — whether one
 * of the seats is a wheelchair space (the others then companion seats beside it, SPEC §12).
 */
export function bestAvailableForm(
  grades: string[],
  maxSeats: number,
  onSubmit: (count: number, grade: string, accessible: boolean) => void,
  withAccessible = false,
): HTMLElement {
  const accessible = h('input', { type: 'checkbox', id: 'best-accessible' });
  const count = h(
    'select',
    { id: 'best-count' },
    Array.from({ length: maxSeats }, (_, i) => i + 1).map((n) =>
      h('option', { value: String(n), selected: n === 2 }, String(n)),
    ),
  );
  const grade = h(
    'select',
    { id: 'best-grade' },
    h('option', { value: '' }, t('bestAnyGrade')),
    grades.map((g) => h('option', { value: g }, gradeText(g))),
  );
  return h(
    'form',
    {
      class: 'card best-card',
      onsubmit: (e: Event) => {
        e.preventDefault();
        onSubmit(Number(count.value), grade.value, accessible.checked);
      },
    },
    h('h2', { class: 'card-title' }, t('bestTitle')),
    h(
      'div',
      { class: 'best-fields' },
      h('div', { class: 'field-inline' }, h('label', { for: 'best-count' }, t('bestCount')), count),
      h('div', { class: 'field-inline' }, h('label', { for: 'best-grade' }, t('bestGrade')), grade),
    ),
    withAccessible
      ? h('div', { class: 'best-check' }, accessible, h('label', { for: 'best-accessible' }, t('bestAccessible')))
      : null,
    h('button', { type: 'submit', class: 'btn btn-block' }, t('bestSubmit')),
  );
}
