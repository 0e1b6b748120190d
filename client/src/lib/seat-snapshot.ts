import type { Seat, SeatMap, SeatStatus } from '@seatmap/shared';
import { api } from './api.ts';

/** A seat's public status as one byte: statuses of a 50,000-seat map live in one Uint8Array. */
export const STATUS_CODE = { available: 0, held: 1, reserved: 2 } as const satisfies Record<SeatStatus, number>;
export type StatusCode = (typeof STATUS_CODE)[SeatStatus];
export const STATUS_NAME: readonly SeatStatus[] = ['available', 'held', 'reserved'];

/** Everything about a seat except its status: fixed for a performance. */
export type LayoutSeat = Omit<Seat, 'status'>;

/**
 * What the map needs from the server at one version: the layout and one status code per layout seat. Where it
 * comes from is the snapshot source's business — today the part-one seat map; the compact layout + status of
 * SPEC §9 is another source with the same shape.
 */
export interface SeatSnapshot {
  version: number;
  seats: readonly LayoutSeat[];
  /** codes[i] is the status of seats[i]. */
  codes: Uint8Array;
}

export type SnapshotSource = () => Promise<SeatSnapshot>;

export function fromSeatMap(map: SeatMap): SeatSnapshot {
  const codes = new Uint8Array(map.seats.length);
  map.seats.forEach((seat, i) => {
    codes[i] = STATUS_CODE[seat.status];
  });
  return { version: map.version, seats: map.seats, codes };
}

/** The snapshot from `GET /api/schedules/:id/seats` (layout and statuses in one answer). */
export function seatMapSource(scheduleId: string): SnapshotSource {
  return async () => fromSeatMap(await api.seats(scheduleId));
}
