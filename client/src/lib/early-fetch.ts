import { paths, storedLayoutVersions } from './paths.ts';

/*
 * The seat page's first requests, sent while the rest of the bundle is still being evaluated (main.ts imports this
 * first): a phone spends a few hundred milliseconds there, and the seat map waits for these answers. Only plain GETs
 * the page is about to make, each taken once by `send` (http.ts) within a few seconds; anything else goes out as
 * usual.
 */

const early = new Map<string, { at: number; response: Promise<Response> }>();
const FRESH_MS = 5_000;

function ask(path: string): void {
  const response = fetch(path);
  response.catch(() => early.delete(path));
  early.set(path, { at: Date.now(), response });
}

/** The answer to `path` asked for early, once; undefined when none is waiting (or it is too old to trust). */
export function takeEarly(path: string): Promise<Response> | undefined {
  const entry = early.get(path);
  if (!entry) return undefined;
  early.delete(path);
  return Date.now() - entry.at <= FRESH_MS ? entry.response : undefined;
}

/** `#/concerts/:concertId/schedules/:scheduleId?date=…` — the seat page (routes.ts). */
const SEAT_PAGE = /^#\/concerts\/([^/?]+)\/schedules\/([^/?]+)(?:\?(.*))?$/;

export function fetchEarly(hash: string): void {
  const match = SEAT_PAGE.exec(hash);
  if (!match) return;
  const concertId = decodeURIComponent(match[1]!);
  const scheduleId = decodeURIComponent(match[2]!);
  const date = new URLSearchParams(match[3] ?? '').get('date');
  ask(paths.config);
  ask(paths.status(scheduleId));
  ask(paths.columnarLayout(scheduleId, storedLayoutVersions.get(scheduleId)));
  ask(paths.concert(concertId));
  if (date) ask(paths.schedules(concertId, date));
}

fetchEarly(globalThis.location?.hash ?? '');
