import { h, mount } from './dom.ts';
import { errorMessage } from './error-text.ts';
import { ApiError } from './http.ts';
import { t } from './i18n.ts';

/** Plain words for any failure. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return err.status === 0 ? t('networkError') : errorMessage(err.code, err.details);
  return errorMessage('INTERNAL_ERROR');
}

/** Shows a spinner in `el` while `task` runs, and a readable error with a retry button if it fails. */
export async function withLoading<T>(
  el: HTMLElement,
  task: () => Promise<T>,
  onDone: (value: T) => void,
): Promise<void> {
  mount(
    el,
    h('p', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('loading')),
  );
  try {
    const value = await task();
    onDone(value);
  } catch (err) {
    mount(
      el,
      h(
        'div',
        { class: 'error-box', role: 'alert' },
        h('p', null, describeError(err)),
        h('button', { type: 'button', class: 'btn', onclick: () => void withLoading(el, task, onDone) }, t('retry')),
      ),
    );
  }
}

/** The time zone of an ISO timestamp's offset ("+09:00"), for data without a venue zone. */
export function offsetZone(iso: string): string {
  const m = /([+-]\d\d:\d\d)$/.exec(iso);
  if (!m) return 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone: m[1] });
    return m[1]!;
  } catch {
    return m[1] === '+09:00' ? 'Asia/Seoul' : 'UTC';
  }
}
