import { h } from '../lib/dom.ts';

export interface DialogOptions {
  title: string;
  body: (string | Node)[];
  actions: { label: string; primary?: boolean; danger?: boolean; value: string }[];
  /** Value used when the dialog is dismissed with Escape. */
  dismissValue?: string;
}

/**
 * A modal dialog (native <dialog>: the page behind is inert, so focus is trapped); resolves with the chosen
 * action's value and puts focus back where it was.
 */
export function openDialog(options: DialogOptions): { result: Promise<string>; close(value: string): void } {
  const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const titleId = `dlg-${Math.random().toString(36).slice(2)}`;
  let resolve!: (v: string) => void;
  const result = new Promise<string>((r) => (resolve = r));
  const dialog = h(
    'dialog',
    { class: 'dialog', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, options.title),
    ...options.body.map((b) => (typeof b === 'string' ? h('p', null, b) : b)),
    h(
      'div',
      { class: 'dialog-actions' },
      options.actions.map((a) =>
        h(
          'button',
          {
            type: 'button',
            class: `btn ${a.primary ? 'btn-primary' : ''} ${a.danger ? 'btn-danger' : ''}`,
            onclick: () => close(a.value),
            autofocus: a.primary ?? false,
          },
          a.label,
        ),
      ),
    ),
  );
  let closed = false;
  const close = (value: string) => {
    if (closed) return;
    closed = true;
    dialog.close();
    dialog.remove();
    if (previous?.isConnected) previous.focus();
    resolve(value);
  };
  dialog.addEventListener('cancel', (e) => {
    e.preventDefault();
    close(options.dismissValue ?? 'dismiss');
  });
  document.body.append(dialog);
  dialog.showModal();
  return { result, close };
}
