/** The wall-clock reading of an instant in a time zone, in milliseconds as if that reading were UTC. */
function wallClock(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
}

/**
 * A venue-local date and time (`<input type="datetime-local">`'s `2026-12-24T19:00`) as an ISO instant with the
 * venue's offset (`2026-12-24T19:00:00+09:00`): the box office types the time printed on the ticket, wherever the
 * clerk's browser is. Null when the text is not a date and time.
 */
export function zonedIso(local: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const [, y, mo, d, hh, mm] = m.map(Number) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, hh, mm);
  // The zone's offset at that moment (asked twice: the first guess may sit across a daylight-saving change).
  let offset = wallClock(asUtc, timeZone) - asUtc;
  offset = wallClock(asUtc - offset, timeZone) - (asUtc - offset);
  const minutes = Math.round(offset / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const pad = (v: number) => String(v).padStart(2, '0');
  return `${local}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** An instant as the venue-local `datetime-local` text (minutes), the reverse of `zonedIso`. */
export function localInput(iso: string, timeZone: string): string {
  return new Date(wallClock(Date.parse(iso), timeZone)).toISOString().slice(0, 16);
}
