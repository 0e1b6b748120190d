import type { CreateHoldBody, Hold, PatchHoldBody } from '@seatmap/shared';
import { ApiError } from './http.ts';

/** The hold calls of one performance (the schedule is bound). */
export interface HoldApi {
  create(body: CreateHoldBody): Promise<Hold>;
  patch(holdId: string, body: PatchHoldBody): Promise<Hold>;
  release(holdId: string): Promise<void>;
}

/** What the customer is told after a step did not go as asked. */
export type HoldNotice =
  /** Someone else took these seats first (409 SEAT_UNAVAILABLE, or the live map); the other seats stay. */
  | { kind: 'lost'; seatIds: string[] }
  /**
   * The orphan rule (409 ORPHAN_SEAT): adding `added` (not held yet) or giving back `removed` (still held) would
   * leave `strandedSeatIds` alone in the row.
   */
  | { kind: 'orphan'; added: string[]; removed: string[]; strandedSeatIds: string[] }
  | { kind: 'limit'; max: number }
  /** Fewer standing places are left than asked for (409 AREA_SOLD_OUT): the area left the selection. */
  | { kind: 'area'; areaId: string; available: number }
  /** Any other failure (network, 503, 429, closed sale): the change was undone. */
  | { kind: 'failed'; error: unknown };

/** How one of the customer's seats stands: held on the server, on its way, or refused by the orphan rule. */
export type MySeatState = 'held' | 'saving' | 'refused';

export interface HoldControllerOptions {
  api: HoldApi;
  maxSeats: number;
  /** The hold this performance already has (after a reload, or back from the form). */
  hold?: Hold | null;
  /** Every change of the server-side hold, as confirmed by the server (null: no hold any more). */
  persist(hold: Hold | null, previous: Hold | null): void;
  /** The hold is gone on the server (404 HOLD_NOT_FOUND): it expired. */
  onLost(): void;
}

/** Places in a standing area (SPEC §12): a quantity, never particular places. */
export interface AreaPick {
  id: string;
  quantity: number;
}

const sameArea = (a: AreaPick | null | undefined, b: AreaPick | null | undefined) =>
  (a?.id ?? null) === (b?.id ?? null) && (a?.quantity ?? 0) === (b?.quantity ?? 0);

type Step =
  | { kind: 'create'; seatIds: string[]; area: AreaPick | null }
  | { kind: 'patch'; holdId: string; add: string[]; remove: string[] }
  | { kind: 'release'; holdId: string }
  | { kind: 'best'; count: number; grade?: string; accessible?: number };

/**
 * The customer's seats of one performance and the one hold behind them, without any DOM. The first seat creates
 * the hold (POST), later seats are added or removed (PATCH), the last one removed releases it (DELETE).
 *
 * Clicks never wait for the server: each one changes the *wanted* seats at once, and a single loop brings the
 * server's hold to them, one request at a time — so requests never race, and clicks that arrive while a request
 * is out are sent together in the next one. A conflict drops only the lost seats; a choice the orphan rule refuses
 * stays wanted but not held until the customer changes it.
 */
export class HoldController {
  private hold: Hold | null;
  private wanted: string[];
  /** Seats of the request on its way (added or removed). */
  private readonly inFlight = new Set<string>();
  /** The wanted/held pair the server refused under the orphan rule: not retried until the customer changes it. */
  private refusedKey: string | null = null;
  private best: { count: number; grade?: string; accessible?: number } | null = null;
  /** The standing places wanted; the server's hold changes them only by being made again (PATCH moves seats). */
  private area: AreaPick | null;
  private running: Promise<void> | null = null;
  /** Bumped by forget(): answers to requests sent before it are not the current hold's. */
  private epoch = 0;
  private readonly listeners = new Set<() => void>();
  notice: HoldNotice | null = null;

  constructor(private readonly options: HoldControllerOptions) {
    this.hold = options.hold ?? null;
    this.wanted = [...(this.hold?.seatIds ?? [])];
    this.area = this.hold?.area ?? null;
  }

  get maxSeats(): number {
    return this.options.maxSeats;
  }

  /** The hold as the server last confirmed it. */
  get current(): Hold | null {
    return this.hold;
  }

  /** The customer's seats, in the order chosen. */
  get seats(): readonly string[] {
    return this.wanted;
  }

  /** The standing places wanted, if any. */
  get areaWanted(): AreaPick | null {
    return this.area;
  }

  /** Whether the wanted standing places are what the server holds (not on their way). */
  get areaHeld(): boolean {
    return this.area !== null && sameArea(this.hold?.area, this.area) && !this.running;
  }

  /** Seats plus standing places: what the per-hold limit counts. */
  private count(): number {
    return this.wanted.length + (this.area?.quantity ?? 0);
  }

  /**
   * Standing places of one area (`quantity` 0: none). The hold is made again with the seats and the new places
   * (the server changes a hold's places only that way); the seats stay the customer's while it is.
   */
  chooseArea(id: string, quantity: number): 'ok' | 'limit' {
    const next = quantity > 0 ? { id, quantity } : null;
    if (next && this.wanted.length + quantity > this.options.maxSeats) {
      this.notice = { kind: 'limit', max: this.options.maxSeats };
      this.notify();
      return 'limit';
    }
    this.area = next;
    this.notice = null;
    this.refusedKey = null;
    this.kick();
    return 'ok';
  }

  /** Whether a request is out or queued. */
  get busy(): boolean {
    return this.running !== null;
  }

  isMine(seatId: string): boolean {
    return this.wanted.includes(seatId);
  }

  /** A held seat the customer gave back, while the server has not confirmed it yet. */
  isReleasing(seatId: string): boolean {
    return !this.wanted.includes(seatId) && (this.hold?.seatIds.includes(seatId) ?? false);
  }

  stateOf(seatId: string): MySeatState | undefined {
    if (!this.wanted.includes(seatId)) return undefined;
    if (this.hold?.seatIds.includes(seatId) && !this.inFlight.has(seatId)) return 'held';
    return this.refusedKey === this.key() ? 'refused' : 'saving';
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * A click on a seat: mine → not mine, free → mine. `available` is the live map's word on a seat that is not
   * mine; a taken seat is refused without a request.
   */
  toggle(seatId: string, available: boolean): 'added' | 'removed' | 'limit' | 'unavailable' {
    if (this.wanted.includes(seatId)) {
      this.change(this.wanted.filter((id) => id !== seatId));
      return 'removed';
    }
    if (!available) return 'unavailable';
    if (this.count() >= this.options.maxSeats) {
      this.notice = { kind: 'limit', max: this.options.maxSeats };
      this.notify();
      return 'limit';
    }
    this.change([...this.wanted, seatId]);
    return 'added';
  }

  /** Gives every seat back (DELETE). */
  releaseAll(): void {
    this.best = null;
    this.area = null;
    this.change([]);
  }

  /**
   * "Let the server choose": any hold is released first, then the server picks `count` seats (`accessible` of them
   * wheelchair spaces, the rest companion seats beside them).
   */
  bestAvailable(count: number, grade?: string, accessible?: number): void {
    this.best = { count, ...(grade ? { grade } : {}), ...(accessible ? { accessible } : {}) };
    this.notice = null;
    this.wanted = [];
    this.area = null;
    this.refusedKey = null;
    this.kick();
  }

  /**
   * The live map says these seats are taken. Wanted seats that are not held and not on their way leave the
   * selection (with a notice); returns them.
   */
  dropTaken(isTaken: (seatId: string) => boolean): string[] {
    const held = new Set(this.hold?.seatIds);
    const lost = this.wanted.filter((id) => !held.has(id) && !this.inFlight.has(id) && isTaken(id));
    if (lost.length) {
      this.wanted = this.wanted.filter((id) => !lost.includes(id));
      this.notice = { kind: 'lost', seatIds: lost };
      this.kick();
    }
    return lost;
  }

  /** Keeps only the held seats (before moving on to the form): refused seats were never the customer's. */
  keepHeld(): void {
    const held = new Set(this.hold?.seatIds);
    this.wanted = this.wanted.filter((id) => held.has(id));
    this.notice = null;
    this.notify();
  }

  /** Resolves once no request is out or queued. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** The customer leaves: no seat wanted, so the hold is released once the request on its way is answered. */
  abandon(): Promise<void> {
    this.releaseAll();
    return this.idle();
  }

  /** The hold ended elsewhere (expired, booked): start over without a request. */
  forget(): void {
    this.epoch++;
    this.hold = null;
    this.wanted = [];
    this.area = null;
    this.best = null;
    this.refusedKey = null;
    this.notify();
  }

  private change(next: string[]): void {
    this.wanted = next;
    this.notice = null;
    this.kick();
  }

  private kick(): void {
    if (!this.running) {
      this.running = this.run().finally(() => {
        this.running = null;
        this.notify();
      });
    }
    this.notify();
  }

  private notify(): void {
    for (const fn of [...this.listeners]) fn();
  }

  private key(): string {
    return `${[...this.wanted].sort().join()}|${[...(this.hold?.seatIds ?? [])].sort().join()}`;
  }

  /** The one request that brings the hold closer to what is wanted, or null when there is nothing to do. */
  private nextStep(): Step | null {
    const hold = this.hold;
    if (this.best) {
      if (hold) return { kind: 'release', holdId: hold.holdId };
      const step: Step = { kind: 'best', ...this.best };
      this.best = null;
      return step;
    }
    if (this.refusedKey === this.key()) return null;
    if (!hold) return this.count() ? { kind: 'create', seatIds: [...this.wanted], area: this.area } : null;
    // Other standing places: the hold is given back and made again with them (seats and places together).
    if (!this.count() || !sameArea(hold.area, this.area)) return { kind: 'release', holdId: hold.holdId };
    const add = this.wanted.filter((id) => !hold.seatIds.includes(id));
    const remove = hold.seatIds.filter((id) => !this.wanted.includes(id));
    return add.length || remove.length ? { kind: 'patch', holdId: hold.holdId, add, remove } : null;
  }

  private async run(): Promise<void> {
    for (let step = this.nextStep(); step; step = this.nextStep()) {
      const epoch = this.epoch;
      const seats = step.kind === 'create' ? step.seatIds : step.kind === 'patch' ? [...step.add, ...step.remove] : [];
      for (const id of seats) this.inFlight.add(id);
      this.notify();
      try {
        const hold = await this.send(step);
        if (epoch !== this.epoch) {
          // Answered after the hold was forgotten: a hold made now belongs to nobody, so give it back.
          if (hold && step.kind !== 'patch') await this.options.api.release(hold.holdId).catch(() => {});
          continue;
        }
        if (step.kind === 'best') this.wanted = [...(hold?.seatIds ?? [])];
        this.settle(hold);
      } catch (err) {
        if (epoch === this.epoch) this.fail(step, err);
      } finally {
        for (const id of seats) this.inFlight.delete(id);
      }
    }
  }

  private async send(step: Step): Promise<Hold | null> {
    const { api } = this.options;
    switch (step.kind) {
      case 'create':
        if (!step.area) return api.create({ seatIds: step.seatIds });
        return api.create(step.seatIds.length ? { seatIds: step.seatIds, area: step.area } : { area: step.area });
      case 'best':
        return api.create({
          bestAvailable: {
            count: step.count,
            ...(step.grade ? { grade: step.grade } : {}),
            ...(step.accessible ? { accessible: step.accessible } : {}),
          },
        });
      case 'patch':
        return api.patch(step.holdId, {
          ...(step.add.length ? { add: step.add } : {}),
          ...(step.remove.length ? { remove: step.remove } : {}),
        });
      case 'release':
        await api.release(step.holdId);
        return null;
    }
  }

  private settle(hold: Hold | null): void {
    const previous = this.hold;
    this.hold = hold;
    this.options.persist(hold, previous);
  }

  private fail(step: Step, err: unknown): void {
    this.best = null;
    const code = err instanceof ApiError ? err.code : null;
    if (code === 'HOLD_NOT_FOUND') {
      if (step.kind === 'release') {
        this.settle(null);
        return;
      }
      this.forget();
      this.options.onLost();
      return;
    }
    const added = step.kind === 'create' ? step.seatIds : step.kind === 'patch' ? step.add : [];
    if (code === 'AREA_SOLD_OUT' && err instanceof ApiError && this.area) {
      // Not that many places left: the places leave the selection (the seats are asked for again without them).
      const available = typeof err.details.available === 'number' ? err.details.available : 0;
      this.notice = { kind: 'area', areaId: this.area.id, available };
      this.area = null;
      return;
    }
    if (code === 'SEAT_UNAVAILABLE' && err instanceof ApiError) {
      const lost = err.seatIds('unavailableSeatIds').filter((id) => added.includes(id));
      // Only the lost seats leave; the loop asks again for the rest.
      this.wanted = this.wanted.filter((id) => (lost.length ? !lost.includes(id) : !added.includes(id)));
      this.notice = { kind: 'lost', seatIds: lost.length ? lost : added };
      return;
    }
    if (code === 'ORPHAN_SEAT' && err instanceof ApiError) {
      // Keep what the customer holds and wants; the refused seats wait for the next click (e.g. the neighbour).
      if (step.kind === 'patch') this.wanted = [...new Set([...this.wanted, ...step.remove])];
      this.refusedKey = this.key();
      const removed = step.kind === 'patch' ? step.remove : [];
      this.notice = { kind: 'orphan', added, removed, strandedSeatIds: err.seatIds('strandedSeatIds') };
      return;
    }
    // Anything else: undo to what the server holds and say why.
    this.wanted = [...(this.hold?.seatIds ?? [])];
    this.area = this.hold?.area ?? null;
    this.notice = { kind: 'failed', error: err };
  }
}
