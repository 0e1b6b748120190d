import type { AreaRequest, Hold } from '@seatmap/shared';
import type { SeatLayout } from '../catalog/seat-layouts.ts';
import type { StatusSnapshot } from '../catalog/status-snapshot.ts';
import { AppError } from '../errors.ts';
import type { HoldOutcome, HoldRecord } from '../holds/hold-store.ts';

/** Tries before a standing-area hold gives up; each lost race re-reads the places and spreads out further. */
const AREA_ATTEMPTS = 12;
/**
 * Buyers start at a random place among the first SPREAD free ones (doubling after each lost race), so a rush of
 * buyers does not all collide on the same first places; entry numbers still follow the order of sale roughly.
 */
const SPREAD = 64;

export const areaSoldOut = (areaId: string, available: number) =>
  new AppError(409, 'AREA_SOLD_OUT', `Only ${available} places are left in this standing area`, {
    areaId,
    available,
  });

/** The 400 for an area id that is not one of the performance's. */
export function requireArea(layout: SeatLayout, area: AreaRequest) {
  const found = layout.areaById.get(area.id);
  if (!found) {
    throw new AppError(400, 'VALIDATION_FAILED', 'This performance has no such standing area', {
      issues: [{ path: 'body.area.id', message: 'unknown standing area for this performance' }],
    });
  }
  return found;
}

/** A hold as customers see it: its seats, and its standing places as one quantity per area (SPEC §12). */
export function holdAnswer(hold: HoldRecord, layout: SeatLayout | null): Hold {
  const answer: Hold = {
    holdId: hold.holdId,
    scheduleId: hold.scheduleId,
    seatIds: hold.seatIds,
    expiresAt: new Date(hold.expiresAt).toISOString(),
  };
  if (!layout || layout.places.size === 0) return answer;
  const seatIds: string[] = [];
  let area: { id: string; quantity: number } | undefined;
  for (const id of hold.seatIds) {
    const place = layout.places.get(id);
    if (!place) seatIds.push(id);
    else if (area) area.quantity++;
    else area = { id: place.area.id, quantity: 1 };
  }
  return { ...answer, seatIds, ...(area ? { area } : {}) };
}

/** The seats among these ids (standing places left out): what the orphan rule and seat checks look at. */
export const seatsOnly = (layout: SeatLayout, ids: Iterable<string>) => [...ids].filter((id) => layout.byId.has(id));

/**
 * Holds `area.quantity` places of a standing area, with `seatIds` beside them when given, all or nothing. The places
 * are free ones in entry-number order as of the current status snapshot, from a random start among the first
 * SPREAD × 2^attempt free places (so concurrent buyers spread out and entry numbers roughly follow the order of
 * sale); a race lost to another buyer re-reads. The hold store refuses any place already taken, so an area is never
 * held past its capacity, and the booking statement books each place once. AREA_SOLD_OUT only when fewer places
 * than asked are left; a buyer who keeps losing races with places left gets a retryable 409 SEAT_UNAVAILABLE.
 */
export async function holdPlaces(input: {
  layout: SeatLayout;
  area: AreaRequest;
  seatIds: string[];
  snapshot: () => Promise<StatusSnapshot>;
  create: (seatIds: string[]) => Promise<HoldOutcome>;
}): Promise<HoldOutcome> {
  const { layout, area, seatIds } = input;
  requireArea(layout, area);
  let available = 0;
  for (let attempt = 0; attempt < AREA_ATTEMPTS; attempt++) {
    const snapshot = await input.snapshot();
    available = snapshot.areas.find((a) => a.id === area.id)?.available ?? 0;
    if (available < area.quantity) break;
    const spread = Math.min(available - area.quantity, SPREAD << attempt);
    const places = snapshot.freePlaces(area.id, area.quantity, Math.floor(Math.random() * (spread + 1)));
    if (places.length < area.quantity) continue;
    const outcome = await input.create([...seatIds, ...places]);
    if (outcome.ok || outcome.reason !== 'unavailable') return outcome;
    // A chosen seat is taken: that is the answer. Only places taken meanwhile are worth another try.
    const seats = outcome.unavailableSeatIds.filter((id) => !layout.places.has(id));
    if (seats.length > 0) return { ...outcome, unavailableSeatIds: seats };
  }
  if (available < area.quantity) throw areaSoldOut(area.id, available);
  throw new AppError(409, 'SEAT_UNAVAILABLE', 'The places were taken by other buyers meanwhile; please try again', {
    unavailableSeatIds: [],
    areaId: area.id,
    available,
  });
}
