import { describe, expect, it } from 'vitest';
import { redactUrl } from './log-redaction.ts';

const uuid = '5e00187f-9cca-4954-9175-0eef28a90666';

describe('redactUrl', () => {
  it('keeps a route with its UUIDs and replaces every other parameter by its name', () => {
    expect(redactUrl('/api/holds/Xk3_9aB-qq', '/api/holds/:holdId')).toBe('/api/holds/:holdId');
    expect(redactUrl('/api/reservations/ABCDEFGHJK/cancel', '/api/reservations/:reservationNumber/cancel')).toBe(
      '/api/reservations/:reservationNumber/cancel',
    );
    expect(redactUrl(`/api/schedules/${uuid}/holds`, '/api/schedules/:scheduleId/holds')).toBe(
      `/api/schedules/${uuid}/holds`,
    );
  });

  it('drops query strings', () => {
    expect(redactUrl(`/api/concerts/${uuid}/schedules?date=2030-01-01`, '/api/concerts/:concertId/schedules')).toBe(
      `/api/concerts/${uuid}/schedules?:redacted`,
    );
  });

  it('on an unrouted path keeps only UUIDs, lower-case words and file names', () => {
    expect(redactUrl('/api/holds/Xk3_9aB-qq/extra?phone=010')).toBe('/api/holds/:redacted/extra?:redacted');
    expect(redactUrl('/api/reservations/ABCDEFGHJK')).toBe('/api/reservations/:redacted');
    expect(redactUrl('/010-1234-5678')).toBe('/:redacted');
    expect(redactUrl('/me%40example.com')).toBe('/:redacted');
    expect(redactUrl('/assets/index-BJ0hPIzm.js', '/*')).toBe('/assets/index-BJ0hPIzm.js');
    expect(redactUrl('/%E0%A4%A')).toBe('/:redacted');
  });
});
