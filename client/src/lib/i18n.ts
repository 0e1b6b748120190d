import { messages } from './messages.ts';

export type Lang = 'ko' | 'en';
export type MessageKey = keyof typeof messages;

const STORAGE_KEY = 'seatmap.lang';
const listeners = new Set<() => void>();

function initialLang(): Lang {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === 'en' ? 'en' : 'ko';
  } catch {
    return 'ko';
  }
}

let current: Lang = initialLang();

export function lang(): Lang {
  return current;
}

/** Switches the language, remembers it and re-renders whoever listens (the router). */
export function setLang(next: Lang): void {
  if (next === current) return;
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = next;
  for (const fn of listeners) fn();
}

export function onLangChange(fn: () => void): void {
  listeners.add(fn);
}

/** Looks up a message and fills `{name}` placeholders. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const entry = messages[key];
  const text = current === 'en' ? entry[1] : entry[0];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/;
const LATIN = /[A-Za-z]/;

/**
 * The language of a piece of data (a concert title, a venue, a customer's name) when it is not the page's:
 * for its `lang` attribute, so a screen reader reads "올림픽공원" in Korean inside the English page and
 * "Emily Park" in English inside the Korean one. Undefined when it is the page's language (or cannot tell).
 */
export function otherLang(text: string | null | undefined): Lang | undefined {
  if (!text) return undefined;
  const language: Lang | undefined = HANGUL.test(text) ? 'ko' : LATIN.test(text) ? 'en' : undefined;
  return language === current ? undefined : language;
}
