import { DateTime } from 'luxon';

/** ISO-8601 with the venue's offset, e.g. 2026-12-24T19:00:00+09:00. */
export function isoInZone(date: Date, timezone: string): string {
  return DateTime.fromJSDate(date, { zone: timezone }).toISO({ suppressMilliseconds: true }) ?? date.toISOString();
}

/** The venue-local calendar date (YYYY-MM-DD) of an instant. */
export function localDate(date: Date, timezone: string): string {
  return DateTime.fromJSDate(date, { zone: timezone }).toISODate() ?? date.toISOString().slice(0, 10);
}
