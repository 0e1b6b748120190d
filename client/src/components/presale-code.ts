import { PRESALE_CODE_HEADER, type PresaleWindow } from '@seatmap/shared';
import { setConcertHeader } from '../lib/api.ts';
import { h } from '../lib/dom.ts';
import { formatDateTime } from '../lib/format.ts';
import { t } from '../lib/i18n.ts';

const KEY = 'seatmap.presale.';
const CODE = /^[0-9A-Z-]{4,32}$/;

function stored(concertId: string): string | null {
  try {
    return sessionStorage.getItem(KEY + concertId);
  } catch {
    return null;
  }
}

/** Every booking call of the concert carries the code the customer gave for it in this tab (SPEC §12). */
export function applyPresaleCode(concertId: string): void {
  setConcertHeader(concertId, PRESALE_CODE_HEADER, stored(concertId));
}

export interface PresaleCodeCard {
  element: HTMLElement;
  /** Brings the customer back to the code (the server refused it, or none was given). */
  ask(): void;
}

/**
 * The performance is in a presale window (fan-club presale): the customer gives their code before holding seats.
 * The code is kept for this tab and sent as `X-Presale-Code` with every hold and booking of the concert; the server
 * says at the first hold whether it is good.
 */
export function presaleCodeCard(concertId: string, window: PresaleWindow, timeZone: string): PresaleCodeCard {
  const input = h('input', {
    id: 'presale-code',
    type: 'text',
    autocomplete: 'off',
    autocapitalize: 'characters',
    spellcheck: false,
    maxLength: 32,
    value: stored(concertId) ?? '',
    'aria-describedby': 'presale-lead presale-status',
  });
  const status = h('p', { class: 'presale-status', id: 'presale-status', role: 'status' });
  const element = h(
    'form',
    {
      class: 'card presale-card',
      'aria-labelledby': 'presale-title',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const code = input.value.trim().toUpperCase();
        if (!CODE.test(code)) {
          input.setAttribute('aria-invalid', 'true');
          status.textContent = t('presaleCodeFormat');
          input.focus();
          return;
        }
        input.value = code;
        input.setAttribute('aria-invalid', 'false');
        try {
          sessionStorage.setItem(KEY + concertId, code);
        } catch {
          // Storage refused: the code lasts for this page.
        }
        setConcertHeader(concertId, PRESALE_CODE_HEADER, code);
        status.textContent = t('presaleApplied');
      },
    },
    h('h2', { class: 'card-title', id: 'presale-title' }, t('presaleTitle', { name: window.name })),
    h('p', { class: 'hint', id: 'presale-lead' }, t('presaleLead', { end: formatDateTime(window.endsAt, timeZone) })),
    h('label', { for: 'presale-code', class: 'presale-label' }, t('presaleCode')),
    h(
      'div',
      { class: 'presale-row' },
      input,
      h('button', { type: 'submit', class: 'btn btn-primary' }, t('presaleApply')),
    ),
    status,
  );
  applyPresaleCode(concertId);
  return {
    element,
    ask() {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    },
  };
}
