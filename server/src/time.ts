import { DateTime } from 'luxon';

/** Formatted instants: a booking answers with its performance's start, the same few values over and over. */
const formatted = new Map<string, string>();
const FORMATTED_MAX = 4096;

/** ISO-8601 with the venue's offset, e.g. 2026-12-24T19:00:00+09:00 (memoised: luxon costs ~30 µs a call). */
export function isoInZone(date: Date, timezone: string): string {
  const key = `${date.getTime()}|${timezone}`;
  let iso = formatted.get(key);
  if (iso === undefined) {
    iso = DateTime.fromJSDate(date, { zone: timezone }).toISO({ suppressMilliseconds: true }) ?? date.toISOString();
    if (formatted.size >= FORMATTED_MAX) formatted.clear();
    formatted.set(key, iso);
  }
  return iso;
}

/** The venue-local calendar date (YYYY-MM-DD) of an instant. */
export function localDate(date: Date, timezone: string): string {
  return DateTime.fromJSDate(date, { zone: timezone }).toISODate() ?? date.toISOString().slice(0, 10);
}
