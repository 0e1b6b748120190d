import { h } from '../lib/dom.ts';

export interface Field {
  element: HTMLElement;
  input: HTMLInputElement;
  /** Validates and shows or clears the inline message; returns whether the value is valid. */
  check(): boolean;
  setError(message: string | null): void;
}

export interface FieldOptions {
  id: string;
  label: string;
  type?: string;
  autocomplete?: string;
  inputmode?: string;
  hint?: string;
  required?: boolean;
  value?: string;
  /** Returns an error message, or null when valid. */
  validate(value: string): string | null;
}

/** A labelled input with a hint and an inline error tied to it by aria-describedby. */
export function field(opts: FieldOptions): Field {
  const errorId = `${opts.id}-error`;
  const hintId = `${opts.id}-hint`;
  const error = h('p', { class: 'field-error', id: errorId, hidden: true });
  const input = h('input', {
    id: opts.id,
    name: opts.id,
    type: opts.type ?? 'text',
    autocomplete: opts.autocomplete,
    inputmode: opts.inputmode,
    required: opts.required ?? false,
    value: opts.value ?? '',
    'aria-describedby': [opts.hint ? hintId : '', errorId].filter(Boolean).join(' '),
  });
  let touched = false;
  const setError = (message: string | null) => {
    error.hidden = !message;
    error.textContent = message ?? '';
    input.setAttribute('aria-invalid', message ? 'true' : 'false');
  };
  const check = () => {
    touched = true;
    const message = opts.validate(input.value);
    setError(message);
    return message === null;
  };
  input.addEventListener('blur', () => {
    if (input.value !== '' || touched) check();
  });
  input.addEventListener('input', () => {
    if (touched) check();
  });
  const element = h(
    'div',
    { class: 'field' },
    h('label', { for: opts.id }, opts.label),
    input,
    opts.hint ? h('p', { class: 'field-hint', id: hintId }, opts.hint) : null,
    error,
  );
  return { element, input, check, setError };
}
