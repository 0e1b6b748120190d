import type { AreaChange } from '@seatmap/shared';
import type { SeatEvent } from '../holds/seat-event.ts';

/**
 * A performance's standing places as this node last knew them (SPEC §12): which places are taken (held or sold),
 * at a version. The hold store holds places like seats, so its events name them; this turns those changes into
 * `areaChanges` counts. Taken or not is all that moves a count (a held place that is booked stays taken).
 */
export interface AreaBase {
  version: number;
  /** Area id → its capacity and the ids of its taken places. */
  areas: ReadonlyMap<string, { capacity: number; taken: ReadonlySet<string> }>;
  /** Place id → its area id. */
  placeArea: ReadonlyMap<string, string>;
}

/**
 * Follows one performance's events in version order from a base. An event that does not continue the version
 * (a loss: watchers resync from `…/status`, which has the counts) leaves the tracker without a base until
 * `reset` gives it a new one; meanwhile events go out without `areaChanges`.
 */
export class AreaTracker {
  private version: number | undefined;
  private readonly taken = new Map<string, Set<string>>();
  private readonly capacity = new Map<string, number>();
  private placeArea: ReadonlyMap<string, string> = new Map();

  /** Whether a change of this seat id is a standing place's (and so not a seat's). */
  isPlace(seatId: string): boolean {
    return this.placeArea.has(seatId);
  }

  get ready(): boolean {
    return this.version !== undefined;
  }

  reset(base: AreaBase): void {
    this.placeArea = base.placeArea;
    this.taken.clear();
    for (const [areaId, area] of base.areas) {
      this.capacity.set(areaId, area.capacity);
      this.taken.set(areaId, new Set(area.taken));
    }
    this.version = base.version;
  }

  /**
   * Applies an event (one change per version step). Returns the new count of each area it moved, [] when it
   * moved none, or null when the tracker has no base for it (none yet, or a gap before it).
   */
  apply(event: SeatEvent): AreaChange[] | null {
    if (this.version === undefined) return null;
    if (event.version <= this.version) return [];
    if (event.fromVersion > this.version) {
      this.version = undefined;
      return null;
    }
    const moved = new Set<string>();
    for (const change of event.changes.slice(this.version - event.fromVersion)) {
      const areaId = this.placeArea.get(change.seatId);
      if (areaId === undefined) continue;
      const taken = this.taken.get(areaId)!;
      const was = taken.has(change.seatId);
      const is = change.status !== 'available';
      if (was === is) continue;
      if (is) taken.add(change.seatId);
      else taken.delete(change.seatId);
      moved.add(areaId);
    }
    this.version = event.version;
    return [...moved].map((areaId) => ({
      areaId,
      available: this.capacity.get(areaId)! - this.taken.get(areaId)!.size,
    }));
  }
}
