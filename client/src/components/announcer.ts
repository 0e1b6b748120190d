import { h } from '../lib/dom.ts';
import { t } from '../lib/i18n.ts';

let politeRegion: HTMLElement | null = null;
let toastHost: HTMLElement | null = null;

/** Reads text to screen-reader users without moving focus. */
export function announce(text: string): void {
  if (!politeRegion) {
    politeRegion = h('div', { class: 'sr-only', 'aria-live': 'polite', role: 'status' });
    document.body.append(politeRegion);
  }
  politeRegion.textContent = '';
  // A fresh text node after a tick makes repeated messages audible too.
  setTimeout(() => {
    if (politeRegion) politeRegion.textContent = text;
  }, 30);
}

/** A short visible notice (also announced). Errors stay until closed. */
export function toast(text: string, kind: 'info' | 'error' = 'info'): void {
  if (!toastHost) {
    toastHost = h('div', { class: 'toasts', role: 'region', 'aria-label': t('notifications') });
    document.body.append(toastHost);
  }
  const item = h(
    'div',
    { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    h('span', null, text),
    h('button', { type: 'button', class: 'toast-close', 'aria-label': t('close'), onclick: () => item.remove() }, '×'),
  );
  toastHost.append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 9000 : 5000);
}

export function clearToasts(): void {
  toastHost?.replaceChildren();
  toastHost?.setAttribute('aria-label', t('notifications'));
}
