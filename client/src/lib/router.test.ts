import { describe, expect, it } from 'vitest';
import { href, parseRoute } from './router.ts';

describe('parseRoute', () => {
  it('reads names, params and query', () => {
    expect(parseRoute('').name).toBe('concerts');
    expect(parseRoute('#/').name).toBe('concerts');
    const seats = parseRoute('#/concerts/c1/schedules/s1?date=2026-12-24');
    expect(seats.name).toBe('seats');
    expect(seats.params).toEqual({ concertId: 'c1', scheduleId: 's1' });
    expect(seats.query.get('date')).toBe('2026-12-24');
    expect(parseRoute('#/reservations/AB12CD34').params.reservationNumber).toBe('AB12CD34');
    expect(parseRoute('#/nope').name).toBe('notFound');
  });

  it('builds hrefs without empty values', () => {
    expect(href('/concerts/c1', { date: '2026-12-24', x: undefined })).toBe('#/concerts/c1?date=2026-12-24');
  });
});
