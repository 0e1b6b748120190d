import { afterEach, describe, expect, it } from 'vitest';
import { formatCountdown, formatDate, formatDateTime, formatPrice } from './format.ts';
import { setLang, t } from './i18n.ts';
import { seatLabel } from './seat-label.ts';

const seat = {
  id: '11111111-1111-4111-8111-111111111111',
  seatNumber: 'A10',
  section: 'A',
  row: 'A',
  x: 0,
  y: 0,
  grade: 'R',
  price: 150000,
  status: 'available' as const,
};

afterEach(() => setLang('ko'));

describe('formatting and language', () => {
  it('formats KRW in both languages', () => {
    expect(formatPrice(150000)).toBe('150,000원');
    setLang('en');
    expect(formatPrice(150000)).toBe('₩150,000');
  });

  it('shows times in the venue time zone', () => {
    setLang('en');
    // 10:00 UTC is 19:00 in Seoul and 05:00 in New York.
    expect(formatDateTime('2026-12-24T10:00:00Z', 'Asia/Seoul')).toContain('7:00 PM');
    expect(formatDateTime('2026-12-24T10:00:00Z', 'America/New_York')).toContain('5:00 AM');
    expect(formatDate('2026-12-24')).toContain('24');
  });

  it('builds accessible seat names with the seat number', () => {
    expect(seatLabel(seat, 'available', false)).toBe('A열 10번, R석, 150,000원, 예매 가능');
    setLang('en');
    expect(seatLabel(seat, 'available', false)).toBe('Row A seat 10, R, ₩150,000, available');
    expect(t('seatsLeft', { left: 3, total: 10 })).toBe('3 of 10 seats left');
  });

  it('counts down as mm:ss', () => {
    expect(formatCountdown(299.2)).toBe('05:00');
    expect(formatCountdown(61)).toBe('01:01');
    expect(formatCountdown(-3)).toBe('00:00');
  });
});
