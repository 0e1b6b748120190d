import type { AreaAvailability, SeatStatus, SnapshotForm } from '@seatmap/shared';
import type { SeatStates } from '../holds/hold-store.ts';
import type { SeatLayout } from './seat-layouts.ts';
import { type EncodedBody, encodedBody } from './seat-map-cache.ts';

const CHAR: Record<SeatStatus, number> = { available: 0x61, held: 0x68, reserved: 0x72 }; // a h r
const WORD: Record<number, SeatStatus> = { 97: 'available', 104: 'held', 114: 'reserved' };

/**
 * One performance's public statuses at one version, read atomically from the hold store, and every form the API
 * and the feed send of them — `GET …/status`, `GET …/seats`, the feed's compact and full snapshots — each built at
 * most once, on first use, and shared by every request and socket of this node.
 */
export class StatusSnapshot {
  readonly version: number;
  readonly layout: SeatLayout;
  /** One character per seat in seat order: `a` available, `h` held, `r` reserved. */
  readonly statuses: string;
  /** Standing areas in layout order: places neither held nor sold (SPEC §12). */
  readonly areas: AreaAvailability[];
  /** Standing places that are held or sold (the hold store refuses them), by area id. */
  readonly takenPlaces: Map<string, Set<string>>;
  private status?: EncodedBody;
  private seats?: EncodedBody;
  private readonly feeds = new Map<SnapshotForm, Buffer>();

  constructor(layout: SeatLayout, states: SeatStates) {
    this.layout = layout;
    this.version = states.version;
    const chars = Buffer.alloc(layout.seats.length, CHAR.available);
    for (const id of states.held) {
      const i = layout.indexById.get(id);
      if (i !== undefined) chars[i] = CHAR.held;
    }
    // Reserved wins over a stale hold.
    for (const id of states.reserved) {
      const i = layout.indexById.get(id);
      if (i !== undefined) chars[i] = CHAR.reserved;
    }
    this.statuses = chars.toString('latin1');
    this.takenPlaces = new Map(layout.areas.map((a) => [a.id, new Set<string>()]));
    if (layout.places.size > 0) {
      for (const ids of [states.held, states.reserved]) {
        for (const id of ids) {
          const place = layout.places.get(id);
          if (place) this.takenPlaces.get(place.area.id)!.add(id);
        }
      }
    }
    this.areas = layout.areas.map((a) => ({ id: a.id, available: a.capacity - this.takenPlaces.get(a.id)!.size }));
  }

  /** The first `quantity` free places of an area in entry-number order (fewer when it has fewer left). */
  freePlaces(areaId: string, quantity: number, skip = 0): string[] {
    const area = this.layout.areaById.get(areaId);
    const taken = this.takenPlaces.get(areaId);
    if (!area || !taken) return [];
    const free: string[] = [];
    let skipped = 0;
    for (const id of area.placeIds) {
      if (taken.has(id)) continue;
      if (skipped++ < skip) continue;
      free.push(id);
      if (free.length === quantity) break;
    }
    return free;
  }

  statusOf(index: number): SeatStatus {
    return WORD[this.statuses.charCodeAt(index)] ?? 'available';
  }

  /** `GET …/status`. */
  statusBody(): EncodedBody {
    const { scheduleId, layoutVersion } = this.layout;
    this.status ??= encodedBody(
      `{"scheduleId":"${scheduleId}","version":${this.version},"layoutVersion":"${layoutVersion}","statuses":"${this.statuses}","areas":${JSON.stringify(this.areas)}}`,
    );
    return this.status;
  }

  /** `GET …/seats` (part one: every seat with its status). */
  seatsBody(): EncodedBody {
    if (!this.seats) {
      const { jsonPrefixes, scheduleId } = this.layout;
      const parts = new Array<string>(jsonPrefixes.length);
      for (let i = 0; i < parts.length; i++) parts[i] = `${jsonPrefixes[i]}${this.statusOf(i)}"}`;
      this.seats = encodedBody(`{"scheduleId":"${scheduleId}","version":${this.version},"seats":[${parts.join(',')}]}`);
    }
    return this.seats;
  }

  /** The plain feed's first message. */
  feed(form: SnapshotForm): Buffer {
    let bytes = this.feeds.get(form);
    if (!bytes) {
      if (form === 'compact') {
        bytes = Buffer.from(
          `{"type":"snapshot","version":${this.version},"layoutVersion":"${this.layout.layoutVersion}","statuses":"${this.statuses}","areas":${JSON.stringify(this.areas)}}`,
        );
      } else {
        const parts = this.layout.seats.map((s, i) => `{"seatId":"${s.id}","status":"${this.statusOf(i)}"}`);
        bytes = Buffer.from(`{"type":"snapshot","version":${this.version},"seats":[${parts.join(',')}]}`);
      }
      this.feeds.set(form, bytes);
    }
    return bytes;
  }
}
