import { describe, expect, it } from 'vitest';
import { localInput, zonedIso } from './zoned-time.ts';

describe('zonedIso', () => {
  it('gives the venue-local time its zone offset', () => {
    expect(zonedIso('2026-12-24T19:00', 'Asia/Seoul')).toBe('2026-12-24T19:00:00+09:00');
    expect(zonedIso('2026-07-01T20:30', 'Europe/London')).toBe('2026-07-01T20:30:00+01:00');
    expect(zonedIso('2026-01-15T20:30', 'Europe/London')).toBe('2026-01-15T20:30:00+00:00');
    expect(zonedIso('2026-03-08T12:00', 'America/New_York')).toBe('2026-03-08T12:00:00-04:00');
  });

  it('the instant reads back as the typed wall-clock time', () => {
    const iso = zonedIso('2026-10-03T18:00', 'Asia/Kolkata')!;
    const shown = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Kolkata',
      hour: '2-digit',
      minute: '2-digit',
    }).format(new Date(iso));
    expect(shown).toBe('18:00');
  });

  it('refuses text that is not a date and time', () => {
    expect(zonedIso('', 'Asia/Seoul')).toBeNull();
    expect(zonedIso('2026-12-24', 'Asia/Seoul')).toBeNull();
  });

  it('reads an instant back as the venue-local input text', () => {
    expect(localInput('2026-12-24T10:00:00Z', 'Asia/Seoul')).toBe('2026-12-24T19:00');
    expect(localInput(zonedIso('2026-07-01T20:30', 'Europe/London')!, 'Europe/London')).toBe('2026-07-01T20:30');
  });
});
