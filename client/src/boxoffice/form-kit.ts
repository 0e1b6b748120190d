import { h } from '../lib/dom.ts';
import { describeError } from '../lib/load.ts';

/** A label over its control, with an optional hint tied to it (aria-describedby). */
export function labelled(
  id: string,
  label: string,
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  hint?: string,
): HTMLElement {
  control.id = id;
  control.classList.add('bo-input');
  if (hint) control.setAttribute('aria-describedby', `${id}-hint`);
  return h(
    'div',
    { class: 'bo-field' },
    h('label', { class: 'bo-label', for: id }, label),
    control,
    hint ? h('p', { class: 'bo-muted bo-hint', id: `${id}-hint` }, hint) : null,
  );
}

/**
 * A form's submit step: disables its button while `task` runs, says what failed in its alert line (the API's
 * words for the code), and what succeeded in its status line.
 */
export function submitter(button: HTMLButtonElement) {
  const error = h('p', { class: 'bo-form-error', role: 'alert' });
  const done = h('p', { class: 'bo-form-done', role: 'status' });
  return {
    error,
    done,
    async run(task: () => Promise<string | null>): Promise<void> {
      button.disabled = true;
      error.textContent = '';
      done.textContent = '';
      try {
        const message = await task();
        if (message) done.textContent = message;
      } catch (err) {
        error.textContent = describeError(err);
      } finally {
        button.disabled = false;
      }
    },
    fail(message: string) {
      error.textContent = message;
    },
  };
}

/** One radio of a group, with its label; `onpick` runs when it is chosen. */
export function radio(name: string, value: string, label: string, checked: boolean, onpick: () => void): HTMLElement {
  return h(
    'label',
    { class: 'bo-radio' },
    h('input', { type: 'radio', name, value, checked, onchange: onpick }),
    label,
  );
}
