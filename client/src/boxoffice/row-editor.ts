import { h, mount } from '../lib/dom.ts';
import { bt } from './messages.ts';

export interface Column<T> {
  key: keyof T & string;
  label: string;
  kind: 'text' | 'number';
  min?: number;
  max?: number;
  maxLength?: number;
}

export interface RowEditorOptions<T> {
  id: string;
  caption: string;
  columns: Column<T>[];
  rows: T[];
  /** A new row, given the rows before it (so it can sit below them). */
  make(rows: readonly T[]): T;
  /** What a row is called in its controls' names ("VIP", or "2" while unnamed). */
  rowName(row: T, index: number): string;
  addLabel: string;
  /** Rows that must stay (a performance needs a section); their remove buttons are disabled at this count. */
  minRows?: number;
  onChange(rows: T[]): void;
}

export interface RowEditor<T> {
  element: HTMLElement;
  /** The rows, or null when a cell is out of range (that cell is marked and named in the message). */
  values(): T[] | null;
}

/**
 * An editable table of rows (sections, standing areas): one labelled input per cell, a remove button per row and
 * an add button — every control a native one, so Tab, typing and Enter/Space work without a mouse. Each input's
 * name says its row and column ("VIP: 가격"), as a screen reader announces it.
 */
export function rowEditor<T extends { [K in keyof T]: string | number }>(o: RowEditorOptions<T>): RowEditor<T> {
  let rows = o.rows.map((r) => ({ ...r }));
  const body = h('tbody');
  const error = h('p', { class: 'bo-form-error', role: 'alert' });

  const cellValid = (c: Column<T>, raw: string): boolean => {
    if (c.kind === 'text') return raw.trim().length > 0 && raw.length <= (c.maxLength ?? 255);
    const n = Number(raw);
    return raw.trim() !== '' && Number.isInteger(n) && n >= (c.min ?? -Infinity) && n <= (c.max ?? Infinity);
  };

  /** The row's controls say its current name (it may just have been typed). */
  function nameRow(tr: HTMLTableRowElement, row: T, i: number) {
    const name = o.rowName(row, i);
    tr.querySelectorAll('input').forEach((input, k) => {
      input.setAttribute('aria-label', `${name}: ${o.columns[k]!.label}`);
    });
    tr.querySelector('button')?.setAttribute('aria-label', bt('removeRow', { name }));
  }

  function draw(focusKey?: string) {
    mount(
      body,
      rows.map((row, i) =>
        h(
          'tr',
          null,
          o.columns.map((c) =>
            h(
              'td',
              null,
              h('input', {
                id: `${o.id}-${i}-${c.key}`,
                class: c.key === 'price' ? 'bo-cell bo-cell-price' : 'bo-cell',
                type: c.kind === 'number' ? 'number' : 'text',
                inputmode: c.kind === 'number' ? 'numeric' : undefined,
                min: c.min,
                max: c.max,
                step: c.kind === 'number' ? 1 : undefined,
                maxLength: c.maxLength,
                required: true,
                value: String(row[c.key]),
                'aria-label': `${o.rowName(row, i)}: ${c.label}`,
                // Enter in a cell does not submit the whole form (a half-edited table would be sent).
                onkeydown: (e: KeyboardEvent) => {
                  if (e.key === 'Enter') e.preventDefault();
                },
                oninput: (e: Event) => {
                  const input = e.target as HTMLInputElement;
                  const ok = cellValid(c, input.value);
                  input.setAttribute('aria-invalid', String(!ok));
                  if (!ok) return;
                  (row as Record<string, string | number>)[c.key] =
                    c.kind === 'number' ? Number(input.value) : input.value;
                  error.textContent = '';
                  if (c.kind === 'text') nameRow(input.closest('tr')!, row, i);
                  o.onChange(rows.map((r) => ({ ...r })));
                },
              }),
            ),
          ),
          h(
            'td',
            null,
            h(
              'button',
              {
                type: 'button',
                class: 'btn btn-small btn-danger-outline',
                'aria-label': bt('removeRow', { name: o.rowName(row, i) }),
                disabled: rows.length <= (o.minRows ?? 0),
                onclick: () => {
                  rows = rows.filter((_, k) => k !== i);
                  draw();
                  o.onChange(rows.map((r) => ({ ...r })));
                  addButton.focus();
                },
              },
              bt('remove'),
            ),
          ),
        ),
      ),
    );
    if (focusKey) body.querySelector<HTMLInputElement>(`#${CSS.escape(focusKey)}`)?.focus();
  }

  const addButton = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-small',
      onclick: () => {
        rows.push(o.make(rows));
        draw(`${o.id}-${rows.length - 1}-${o.columns[0]!.key}`);
        o.onChange(rows.map((r) => ({ ...r })));
      },
    },
    `+ ${o.addLabel}`,
  );

  draw();
  const element = h(
    'div',
    { class: 'bo-rows' },
    h(
      'div',
      { class: 'bo-table-wrap' },
      h(
        'table',
        { class: 'bo-table bo-edit-table', id: o.id },
        h('caption', { class: 'bo-caption' }, o.caption),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            o.columns.map((c) => h('th', { scope: 'col' }, c.label)),
            h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, bt('remove'))),
          ),
        ),
        body,
      ),
    ),
    addButton,
    error,
  );

  return {
    element,
    values() {
      for (const [i, row] of rows.entries()) {
        for (const c of o.columns) {
          const input = body.querySelector<HTMLInputElement>(`#${CSS.escape(`${o.id}-${i}-${c.key}`)}`);
          if (input && !cellValid(c, input.value)) {
            input.setAttribute('aria-invalid', 'true');
            error.textContent = bt('cellInvalid', { cell: `${o.rowName(row, i)}: ${c.label}` });
            input.focus();
            return null;
          }
        }
      }
      return rows.map((r) => ({ ...r }));
    },
  };
}
