import { lang } from './i18n.ts';

const krw = new Intl.NumberFormat('ko-KR', { style: 'currency', currency: 'KRW' });
const plain = new Intl.NumberFormat('ko-KR');

/** 150,000원 in Korean, ₩150,000 in English. */
export function formatPrice(amount: number): string {
  return lang() === 'en' ? krw.format(amount) : `${plain.format(amount)}원`;
}

function locale(): string {
  return lang() === 'en' ? 'en-US' : 'ko-KR';
}

/** Date and time in the venue's time zone, e.g. "2026년 12월 24일 (목) 오후 7:00". */
export function formatDateTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale(), {
    timeZone,
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    weekday: 'short',
    hour: 'numeric',
    minute: '2-digit',
  }).format(new Date(iso));
}

export function formatTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale(), { timeZone, hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
}

/** A venue-local calendar date (YYYY-MM-DD), shown without shifting it through any time zone. */
export function formatDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(locale(), {
    timeZone: 'UTC',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    weekday: 'short',
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

export function formatMonth(year: number, month: number): string {
  return new Intl.DateTimeFormat(locale(), { timeZone: 'UTC', year: 'numeric', month: 'long' }).format(
    new Date(Date.UTC(year, month - 1, 1)),
  );
}

/** Seconds → "mm:ss". */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** Browsers without a venue time zone fall back to Seoul, the product's home. */
export function safeTimeZone(tz: string | null | undefined): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz ?? 'Asia/Seoul' });
    return tz ?? 'Asia/Seoul';
  } catch {
    return 'Asia/Seoul';
  }
}
