/*
 * The API paths the seat page asks for first, built in one place: by the API client and by early-fetch.ts, which
 * asks for them before the rest of the bundle has run. Imports nothing, so it costs nothing to evaluate first.
 */
const enc = encodeURIComponent;

export const paths = {
  config: '/api/config',
  concert: (concertId: string) => `/api/concerts/${enc(concertId)}`,
  schedules: (concertId: string, date: string) => `/api/concerts/${enc(concertId)}/schedules?date=${enc(date)}`,
  /** SPEC §9: one character per seat, in the layout's seat order. */
  status: (scheduleId: string) => `/api/schedules/${enc(scheduleId)}/status`,
  /**
   * The layout in columns (decision 0013): `?v=` when the version is known (the browser keeps it for good), else
   * the current one (revalidated by ETag), which can be asked for beside the status on a first visit.
   */
  columnarLayout: (scheduleId: string, layoutVersion: string | null) =>
    `/api/schedules/${enc(scheduleId)}/layout?form=columns${layoutVersion ? `&v=${enc(layoutVersion)}` : ''}`,
};

const VERSION_KEY = 'seatmap.layoutVersion.';

/** The layout version seen last per performance (localStorage); a browser that refuses storage never guesses. */
export const storedLayoutVersions = {
  get: (scheduleId: string): string | null => {
    try {
      return globalThis.localStorage?.getItem(VERSION_KEY + scheduleId) ?? null;
    } catch {
      return null;
    }
  },
  set: (scheduleId: string, layoutVersion: string): void => {
    try {
      globalThis.localStorage?.setItem(VERSION_KEY + scheduleId, layoutVersion);
    } catch {
      // private mode or full: the next visit asks for the status first
    }
  },
};
