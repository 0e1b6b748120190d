import type { Layout, ScheduleStatus, Seat, SeatMap, SeatStatus } from '@seatmap/shared';
import { api, layoutPath } from './api.ts';

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
  /** The layout at its versioned URL (`?v=`): the browser keeps it for good. */
  layout(scheduleId: string, layoutVersion: string): Promise<Layout>;
}

/** The layout version last seen per performance, kept across visits so the layout need not wait for the status. */
export interface LayoutVersions {
  get(scheduleId: string): string | null;
  set(scheduleId: string, layoutVersion: string): void;
}

const VERSION_KEY = 'seatmap.layoutVersion.';

/** In localStorage; a browser that refuses storage just never guesses. */
export const storedLayoutVersions: LayoutVersions = {
  get: (scheduleId) => {
    try {
      return globalThis.localStorage?.getItem(VERSION_KEY + scheduleId) ?? null;
    } catch {
      return null;
    }
  },
  set: (scheduleId, layoutVersion) => {
    try {
      globalThis.localStorage?.setItem(VERSION_KEY + scheduleId, layoutVersion);
    } catch {
      // private mode or full: the next visit asks for the status first
    }
  },
};

const LAYOUT_ATTEMPTS = 3;

/**
 * SPEC §9's snapshot: the compact status on every call, the layout only when its version is new to this source
 * (the first call, or after the box office changed the layout). A resync after a gap or a reconnect is therefore
 * one small status request; the layout comes at its versioned URL, so even a reload takes it from the browser's
 * cache. On a return visit the layout version seen last time is asked for beside the status, so the cached
 * layout is read while the status is on its way. Used for every venue, from the small hall to the stadium.
 */
export function layoutStatusSource(
  scheduleId: string,
  from: LayoutStatusApi = api,
  versions: LayoutVersions = storedLayoutVersions,
): SnapshotSource {
  let layout: Layout | null = null;
  return async () => {
    for (let attempt = 1; ; attempt++) {
      const statusAnswer = from.status(scheduleId);
      const guess = layout ? null : versions.get(scheduleId);
      const early = guess ? from.layout(scheduleId, guess).catch(() => null) : null;
      const status = await statusAnswer;
      if (layout?.layoutVersion !== status.layoutVersion) {
        const guessed = guess === status.layoutVersion ? await early : null;
        layout = guessed ?? (await from.layout(scheduleId, status.layoutVersion));
        versions.set(scheduleId, layout.layoutVersion);
      }
      // A layout that changed between the two requests answers its new version: ask for the status again.
      if (layout.layoutVersion === status.layoutVersion && layout.seats.length === status.statuses.length) {
        return { version: status.version, seats: layout.seats, codes: decodeStatuses(status.statuses) };
      }
      if (attempt >= LAYOUT_ATTEMPTS) {
        throw new Error(`Status ${status.layoutVersion} does not match layout ${layout.layoutVersion}`);
      }
    }
  };
}

const warmed = new Set<string>();

/**
 * Puts a performance's layout into the browser's cache before its seat map opens: for a customer in the waiting
 * room, or about to open a performance (pointer over it, focus, touch). The status names the version; the layout's
 * bytes are only stored, not decoded, so the page the customer is on stays responsive. Once per performance.
 */
export function warmLayout(scheduleId: string): void {
  if (warmed.has(scheduleId)) return;
  warmed.add(scheduleId);
  api
    .status(scheduleId)
    .then(async ({ layoutVersion }) => {
      storedLayoutVersions.set(scheduleId, layoutVersion);
      const res = await fetch(layoutPath(scheduleId, layoutVersion), { priority: 'low' });
      await res.body?.pipeTo(new WritableStream());
    })
    .catch(() => warmed.delete(scheduleId));
}
