import type { Layout, ScheduleStatus, Seat, SeatMap, SeatStatus } from '@seatmap/shared';
import { api } from './api.ts';
import { columnarLayoutPath, fetchColumnarLayout } from './layout-compact.ts';
import { storedLayoutVersions as stored } from './paths.ts';

/** A seat's public status as one byte: statuses of a 50,000-seat map live in one Uint8Array. */
export const STATUS_CODE = { available: 0, held: 1, reserved: 2 } as const satisfies Record<SeatStatus, number>;
export type StatusCode = (typeof STATUS_CODE)[SeatStatus];
export const STATUS_NAME: readonly SeatStatus[] = ['available', 'held', 'reserved'];

/** Everything about a seat except its status: fixed for a performance. */
export type LayoutSeat = Omit<Seat, 'status'>;

/**
 * What the map needs from the server at one version: the layout and one status code per layout seat. Where it
 * comes from is the snapshot source's business: the layout + compact status of SPEC §9 for the customer's map.
 */
export interface SeatSnapshot {
  version: number;
  seats: readonly LayoutSeat[];
  /** codes[i] is the status of seats[i]. */
  codes: Uint8Array;
  /** The layout's version when the source knows it: a snapshot at another one carries another layout. */
  layoutVersion?: string;
  /** Standing areas (SPEC §12) with their free places, when the source has them. */
  areas?: readonly (Layout['areas'][number] & { available: number })[];
}

export type SnapshotSource = () => Promise<SeatSnapshot>;

/** Part one's seat map (`GET …/seats`, layout and statuses in one answer) as a snapshot. */
export function fromSeatMap(map: SeatMap): SeatSnapshot {
  const codes = new Uint8Array(map.seats.length);
  map.seats.forEach((seat, i) => {
    codes[i] = STATUS_CODE[seat.status];
  });
  return { version: map.version, seats: map.seats, codes };
}

/** Status code by the character code of SPEC §9's compact status (`a` available, `h` held, `r` reserved). */
const CODE_BY_CHAR = new Uint8Array(128).fill(255);
CODE_BY_CHAR['a'.charCodeAt(0)] = STATUS_CODE.available;
CODE_BY_CHAR['h'.charCodeAt(0)] = STATUS_CODE.held;
CODE_BY_CHAR['r'.charCodeAt(0)] = STATUS_CODE.reserved;

/** Decodes a compact status string into one status code per seat; throws on a character it does not know. */
export function decodeStatuses(statuses: string): Uint8Array {
  const codes = new Uint8Array(statuses.length);
  for (let i = 0; i < statuses.length; i++) {
    const code = CODE_BY_CHAR[statuses.charCodeAt(i)] ?? 255;
    if (code === 255) throw new Error(`Unknown seat status ${JSON.stringify(statuses[i])} at ${i}`);
    codes[i] = code;
  }
  return codes;
}

export interface LayoutStatusApi {
  status(scheduleId: string): Promise<ScheduleStatus>;
  /**
   * The layout at its version (`?v=`: the browser keeps it for good), or the current one (`null`: a first visit,
   * asked for beside the status).
   */
  layout(scheduleId: string, layoutVersion: string | null): Promise<Layout>;
  /** Puts the layout at its versioned URL into the browser's cache, when the page is idle (after an unversioned ask). */
  keep?(scheduleId: string, layoutVersion: string): void;
}

/** The layout in columns (decision 0013): a fraction of the bytes of SPEC §9's form to fetch, read and parse. */
export const columnarApi: LayoutStatusApi = {
  status: api.status,
  layout: fetchColumnarLayout,
  keep: (scheduleId, layoutVersion) => {
    const store = () =>
      fetch(columnarLayoutPath(scheduleId, layoutVersion), { priority: 'low' })
        .then((res) => res.body?.pipeTo(new WritableStream()))
        .catch(() => {});
    if (typeof requestIdleCallback === 'function') requestIdleCallback(store, { timeout: 5000 });
    else setTimeout(store, 1000);
  },
};

/** The layout version last seen per performance, kept across visits so the layout need not wait for the status. */
export interface LayoutVersions {
  get(scheduleId: string): string | null;
  set(scheduleId: string, layoutVersion: string): void;
}

/** In localStorage (paths.ts: early-fetch.ts reads it too); a browser that refuses storage just never guesses. */
export const storedLayoutVersions: LayoutVersions = stored;

const LAYOUT_ATTEMPTS = 3;

/** The layout's standing areas with the status's count of free places (0 for one the status does not name). */
function withAvailability(areas: Layout['areas'], counts: ScheduleStatus['areas']): NonNullable<SeatSnapshot['areas']> {
  const free = new Map(counts.map((a) => [a.id, a.available]));
  return areas.map((a) => ({ ...a, available: free.get(a.id) ?? 0 }));
}

/** A snapshot's two requests, started before the seat page asks (see prefetchSnapshot). */
interface Prefetched {
  at: number;
  status: Promise<ScheduleStatus>;
  layout: Promise<Layout | null>;
}
const prefetched = new Map<string, Prefetched>();
/** A prefetched status older than this is not used (the layout still is: it is checked against the status). */
const PREFETCH_STATUS_MS = 10_000;
/** Performances warmed but not opened are dropped beyond this many (each holds a decoded layout). */
const MAX_PREFETCHED = 4;

/**
 * SPEC §9's snapshot: the compact status on every call, the layout only when its version is new to this source
 * (the first call, or after the box office changed the layout). A resync after a gap or a reconnect is therefore
 * one small status request. The first call asks for the layout beside the status, not after it: at the version
 * seen last time (from the browser's cache on a return visit) or, on a first visit, the current one; only when
 * that is not the status's version is the layout asked for once more (an unversioned answer is then also put in the
 * browser's cache at `?v=`, once, when the page is idle). Used for every venue.
 */
export function layoutStatusSource(
  scheduleId: string,
  from: LayoutStatusApi = columnarApi,
  versions: LayoutVersions = storedLayoutVersions,
  now: () => number = Date.now,
): SnapshotSource {
  let layout: Layout | null = null;
  return async () => {
    for (let attempt = 1; ; attempt++) {
      const early = attempt === 1 && !layout ? takePrefetched(scheduleId, now()) : null;
      const statusAnswer = early?.status ?? from.status(scheduleId);
      const known = versions.get(scheduleId);
      const beside = layout ? null : (early?.layout ?? from.layout(scheduleId, known).catch(() => null));
      const status = await statusAnswer;
      if (layout?.layoutVersion !== status.layoutVersion) {
        const got = beside ? await beside : null;
        if (got?.layoutVersion === status.layoutVersion) {
          layout = got;
          // Asked for unversioned (or at a stale version): the next visit asks at `?v=`, so keep that one too.
          if (known !== got.layoutVersion) from.keep?.(scheduleId, got.layoutVersion);
        } else {
          layout = await from.layout(scheduleId, status.layoutVersion);
        }
        versions.set(scheduleId, layout.layoutVersion);
      }
      // A layout that changed between the two requests answers its new version: ask for the status again.
      if (layout.layoutVersion === status.layoutVersion && layout.seats.length === status.statuses.length) {
        return {
          version: status.version,
          seats: layout.seats,
          codes: decodeStatuses(status.statuses),
          layoutVersion: layout.layoutVersion,
          areas: withAvailability(layout.areas, status.areas),
        };
      }
      if (attempt >= LAYOUT_ATTEMPTS) {
        throw new Error(`Status ${status.layoutVersion} does not match layout ${layout.layoutVersion}`);
      }
    }
  };
}

function takePrefetched(
  scheduleId: string,
  now: number,
): { status: Promise<ScheduleStatus> | null; layout: Promise<Layout | null> } | null {
  const entry = prefetched.get(scheduleId);
  if (!entry) return null;
  prefetched.delete(scheduleId);
  return { status: now - entry.at <= PREFETCH_STATUS_MS ? entry.status : null, layout: entry.layout };
}

/**
 * Starts a performance's snapshot before its seat page opens: the page's first snapshot takes these answers (the
 * status if still fresh, the layout in any case) instead of asking again.
 */
export function prefetchSnapshot(scheduleId: string, from: LayoutStatusApi = columnarApi, now = Date.now()): void {
  if (prefetched.has(scheduleId)) return;
  if (prefetched.size >= MAX_PREFETCHED) prefetched.delete(prefetched.keys().next().value as string);
  const status = from.status(scheduleId);
  status.catch(() => prefetched.delete(scheduleId));
  const layout = from.layout(scheduleId, storedLayoutVersions.get(scheduleId)).catch(() => null);
  prefetched.set(scheduleId, { at: now, status, layout });
}

/**
 * Puts a performance's snapshot on its way before its seat map opens: for a customer in the waiting room, or about
 * to open a performance (pointer over it, focus, touch). The columnar layout is small and quick to decode, so the
 * page the customer is on stays responsive; the seat page takes what arrived (see prefetchSnapshot).
 */
export function warmLayout(scheduleId: string): void {
  prefetchSnapshot(scheduleId);
}
