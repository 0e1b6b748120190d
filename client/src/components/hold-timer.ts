import { h } from '../lib/dom.ts';
import { formatCountdown } from '../lib/format.ts';
import { holdSession, secondsLeft } from '../lib/hold-session.ts';
import { t } from '../lib/i18n.ts';

/** The visible mm:ss countdown; main.ts ticks every `.hold-countdown` on the page. */
export function holdTimer(): HTMLElement {
  const session = holdSession.get();
  const left = session ? secondsLeft(session) : 0;
  return h(
    'div',
    { class: 'hold-timer', role: 'timer', 'aria-label': t('holdTimer') },
    h('span', { class: 'hold-timer-label' }, t('holdTimer')),
    h('span', { class: 'hold-countdown', 'aria-hidden': 'false' }, formatCountdown(left)),
  );
}

export function tickCountdowns(left: number): void {
  for (const el of document.querySelectorAll<HTMLElement>('.hold-countdown')) {
    const text = formatCountdown(left);
    if (el.textContent !== text) el.textContent = text;
    el.closest('.hold-timer')?.classList.toggle('urgent', left <= 60);
  }
}
