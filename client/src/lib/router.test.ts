import { describe, expect, it } from 'vitest';
import { href, parseRoute, type RouteEntry } from './router.ts';

const page = () => undefined;
const routes: RouteEntry[] = [
  { name: 'concerts', pattern: /^\/?$/, render: page },
  { name: 'seats', pattern: /^\/concerts\/(?<concertId>[^/]+)\/schedules\/(?<scheduleId>[^/]+)$/, render: page },
  { name: 'confirmation', pattern: /^\/reservations\/(?<reservationNumber>[^/]+)$/, render: page },
  { name: 'boxoffice', pattern: /^\/boxoffice$/, load: async () => page },
];

describe('parseRoute', () => {
  it('reads names, params and query', () => {
    expect(parseRoute('', routes).name).toBe('concerts');
    expect(parseRoute('#/', routes).name).toBe('concerts');
    const seats = parseRoute('#/concerts/c1/schedules/s1?date=2026-12-24', routes);
    expect(seats.name).toBe('seats');
    expect(seats.params).toEqual({ concertId: 'c1', scheduleId: 's1' });
    expect(seats.query.get('date')).toBe('2026-12-24');
    expect(parseRoute('#/reservations/AB12CD34', routes).params.reservationNumber).toBe('AB12CD34');
    expect(parseRoute('#/boxoffice?concert=x', routes).name).toBe('boxoffice');
    expect(parseRoute('#/nope', routes).name).toBe('notFound');
  });

  it('decodes params', () => {
    expect(parseRoute('#/reservations/A%20B', routes).params.reservationNumber).toBe('A B');
  });

  it('builds hrefs without empty values', () => {
    expect(href('/concerts/c1', { date: '2026-12-24', x: undefined })).toBe('#/concerts/c1?date=2026-12-24');
  });
});
