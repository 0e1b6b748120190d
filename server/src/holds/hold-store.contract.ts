import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newHoldId } from './hold-id.ts';
import type { HoldStore, ReservedSeatSource, SeatEvent } from './hold-store.ts';

/** A fresh, empty store plus a way to let its time pass and to hear what it publishes. */
export interface HoldStoreHarness {
  store: HoldStore;
  /** Lets `ms` of store time pass: advances an injected clock, or really waits for Redis. */
  elapse(ms: number): Promise<void>;
  /** Starts collecting what the store publishes for one schedule; resolves once listening. */
  listen(scheduleId: string): Promise<SeatEvent[]>;
  close(): Promise<void>;
}

/** The database as the store sees it: tests decide which seats it has reserved. */
export class FakeReservedSeats implements ReservedSeatSource {
  readonly reserved = new Map<string, string[]>();
  /** How often the store asked about particular seats. */
  checks = 0;
  async all() {
    return new Map(this.reserved);
  }
  async of(scheduleId: string) {
    return [...(this.reserved.get(scheduleId) ?? [])];
  }
  async among(seatIds: string[]) {
    this.checks++;
    const all = new Set([...this.reserved.values()].flat());
    return seatIds.filter((id) => all.has(id));
  }
}

async function until(check: () => boolean, what: string) {
  for (let i = 0; !check(); i++) {
    if (i > 2000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const LONG = 60_000;
const SHORT = 300;

export { newHoldId };

const seats = (n: number) => Array.from({ length: n }, () => randomUUID());
const sorted = (ids: Iterable<string>) => [...ids].sort();

/** Checks an event against the SPEC: one version step per change, statuses as given. */
function expectEvent(event: SeatEvent | null, scheduleId: string, fromVersion: number, changes: [string, string][]) {
  expect(event).not.toBeNull();
  expect(event!.scheduleId).toBe(scheduleId);
  expect(event!.fromVersion).toBe(fromVersion);
  expect(event!.version).toBe(fromVersion + changes.length);
  expect(sorted(event!.changes.map((c) => `${c.seatId}:${c.status}`))).toEqual(sorted(changes.map((c) => c.join(':'))));
}

/**
 * The behaviour every HoldStore must show, run against the memory and the Redis implementation alike.
 * `makeStore` must return a store that shares no state with any other call.
 */
export function holdStoreContract(
  name: string,
  makeStore: (database: ReservedSeatSource) => Promise<HoldStoreHarness>,
): void {
  describe(`HoldStore contract: ${name}`, () => {
    let h: HoldStoreHarness;
    let store: HoldStore;
    let scheduleId: string;
    let database: FakeReservedSeats;

    beforeEach(async () => {
      database = new FakeReservedSeats();
      h = await makeStore(database);
      store = h.store;
      scheduleId = randomUUID();
      await store.ensureLoaded();
    });
    afterEach(async () => {
      await h.close();
    });

    const hold = async (seatIds: string[], ttlMs = LONG, holdId = newHoldId(scheduleId)) => {
      const outcome = await store.create({ holdId, scheduleId, seatIds, ttlMs });
      if (!outcome.ok) throw new Error(`expected hold, got ${JSON.stringify(outcome)}`);
      return outcome;
    };

    it('creates a hold on every seat and reports them held', async () => {
      const [a, b] = seats(2);
      const holdId = newHoldId(scheduleId);
      expect(await store.version(scheduleId)).toBe(0);
      const before = Date.now();
      const outcome = await store.create({ holdId, scheduleId, seatIds: [a!, b!], ttlMs: LONG });
      expect(outcome.ok).toBe(true);
      if (!outcome.ok) return;
      expect(outcome.hold).toMatchObject({ holdId, scheduleId, seatIds: [a, b] });
      expect(outcome.hold.expiresAt).toBeGreaterThanOrEqual(before + LONG - 1000);
      expect(outcome.hold.expiresAt).toBeLessThanOrEqual(Date.now() + LONG + 1000);
      expectEvent(outcome.event, scheduleId, 0, [
        [a!, 'held'],
        [b!, 'held'],
      ]);
      expect(await store.get(holdId)).toEqual(outcome.hold);
      expect(await store.states(scheduleId)).toEqual({ version: 2, held: expect.any(Array), reserved: [] });
      expect(await store.version(scheduleId)).toBe(2);
      expect(await store.counts(scheduleId)).toEqual({ held: 2, reserved: 0 });
      expect(sorted((await store.states(scheduleId)).held)).toEqual(sorted([a!, b!]));
      expect(await store.get(newHoldId(scheduleId))).toBeNull();
    });

    it('is all-or-nothing and names exactly the unavailable seats', async () => {
      const [a, b, c, d] = seats(4);
      await hold([a!, b!]);
      await store.markReserved(scheduleId, [d!]);
      const outcome = await store.create({
        holdId: newHoldId(scheduleId),
        scheduleId,
        seatIds: [b!, c!, d!],
        ttlMs: LONG,
      });
      expect(outcome.ok).toBe(false);
      if (outcome.ok || outcome.reason !== 'unavailable') throw new Error('expected unavailable');
      expect(sorted(outcome.unavailableSeatIds)).toEqual(sorted([b!, d!]));
      const states = await store.states(scheduleId);
      expect(states.version).toBe(3);
      expect(sorted(states.held)).toEqual(sorted([a!, b!]));
      expect(sorted(await store.unavailable(scheduleId, [a!, b!, c!, d!]))).toEqual(sorted([a!, b!, d!]));
    });

    it('refuses holds on reserved seats', async () => {
      const [a, b] = seats(2);
      expectEvent(await store.markReserved(scheduleId, [a!]), scheduleId, 0, [[a!, 'reserved']]);
      expect(await store.markReserved(scheduleId, [a!])).toBeNull();
      const outcome = await store.create({ holdId: newHoldId(scheduleId), scheduleId, seatIds: [a!, b!], ttlMs: LONG });
      expect(outcome).toEqual({ ok: false, reason: 'unavailable', unavailableSeatIds: [a] });
      expect(await store.states(scheduleId)).toEqual({ version: 1, held: [], reserved: [a] });
    });

    it('modifies: add is all-or-nothing, remove frees, the expiry stays', async () => {
      const [a, b, c, d] = seats(4);
      const mine = await hold([a!, b!]);
      await hold([d!]);
      const refused = await store.modify(mine.hold.holdId, { add: [c!, d!], remove: [a!] });
      expect(refused).toEqual({ ok: false, reason: 'unavailable', unavailableSeatIds: [d] });
      expect((await store.get(mine.hold.holdId))!.seatIds).toEqual([a, b]);
      expect((await store.states(scheduleId)).version).toBe(3);

      const changed = await store.modify(mine.hold.holdId, { add: [c!], remove: [a!] });
      if (!changed.ok) throw new Error('expected ok');
      expect(sorted(changed.hold.seatIds)).toEqual(sorted([b!, c!]));
      expect(changed.hold.expiresAt).toBe(mine.hold.expiresAt);
      expectEvent(changed.event, scheduleId, 3, [
        [a!, 'available'],
        [c!, 'held'],
      ]);
      expect(await store.get(mine.hold.holdId)).toEqual(changed.hold);
      expect(await store.unavailable(scheduleId, [a!])).toEqual(new Set());

      const same = await store.modify(mine.hold.holdId, { add: [b!], remove: [] });
      expect(same.ok && same.event).toBeNull();
      expect(await store.modify(newHoldId(scheduleId), { add: [a!], remove: [] })).toEqual({
        ok: false,
        reason: 'not_found',
      });
    });

    it('releases at once, once', async () => {
      const [a, b] = seats(2);
      const { hold: held } = await hold([a!, b!]);
      expectEvent(await store.release(held.holdId), scheduleId, 2, [
        [a!, 'available'],
        [b!, 'available'],
      ]);
      expect(await store.get(held.holdId)).toBeNull();
      expect(await store.release(held.holdId)).toBeNull();
      expect(await store.states(scheduleId)).toEqual({ version: 4, held: [], reserved: [] });
      await hold([a!, b!]);
      expect(await store.sweepExpired()).toEqual([]);
    });

    it('expires a hold: others may take it at once, the sweeper frees it once', async () => {
      const [a, b, c] = seats(3);
      const { hold: short } = await hold([a!, b!], SHORT);
      await hold([c!], LONG);
      expect(await store.sweepExpired()).toEqual([]);
      await h.elapse(SHORT + 150);
      expect(await store.get(short.holdId)).toBeNull();
      expect(await store.release(short.holdId)).toBeNull();
      expect(await store.unavailable(scheduleId, [a!, b!, c!])).toEqual(new Set([c]));
      // Public status changes only when the sweeper broadcasts it.
      expect(sorted((await store.states(scheduleId)).held)).toEqual(sorted([a!, b!, c!]));
      const events = await store.sweepExpired();
      expect(events).toHaveLength(1);
      expectEvent(events[0]!, scheduleId, 3, [
        [a!, 'available'],
        [b!, 'available'],
      ]);
      expect(await store.sweepExpired()).toEqual([]);
      expect(await store.states(scheduleId)).toEqual({ version: 5, held: [c], reserved: [] });
    });

    it('advances versions by one per changed seat with contiguous events', async () => {
      const [a, b, c, d] = seats(4);
      const events: (SeatEvent | null)[] = [];
      const first = await hold([a!, b!]);
      events.push(first.event);
      const second = await hold([c!], SHORT);
      events.push(second.event);
      const modified = await store.modify(first.hold.holdId, { add: [d!], remove: [b!] });
      events.push(modified.ok ? modified.event : null);
      events.push(await store.consume(first.hold.holdId, scheduleId, [a!, d!]));
      const states = await store.states(scheduleId);
      expect(await store.counts(scheduleId)).toEqual({ held: states.held.length, reserved: states.reserved.length });
      expect(await store.counts(scheduleId)).toEqual({ held: 1, reserved: 2 });
      events.push(await store.markAvailable(scheduleId, [a!]));
      await h.elapse(SHORT + 150);
      events.push(...(await store.sweepExpired()));
      let version = 0;
      for (const event of events) {
        expect(event).not.toBeNull();
        expect(event!.fromVersion).toBe(version);
        expect(event!.version - event!.fromVersion).toBe(event!.changes.length);
        version = event!.version;
      }
      expect(version).toBe(2 + 1 + 2 + 2 + 1 + 1);
      expect(await store.states(scheduleId)).toEqual({ version, held: [], reserved: [d] });
    });

    it('fences: an expired hold whose seats were re-held cannot be claimed or free them', async () => {
      const [a] = seats(1);
      const { hold: stale } = await hold([a!], SHORT);
      await h.elapse(SHORT + 150);
      const taker = await hold([a!]);
      // The seat was and is held, so nothing public changed.
      expect(taker.event).toBeNull();
      expect(await store.claim(stale.holdId, 5000)).toBeNull();
      expect(await store.sweepExpired()).toEqual([]);
      expect(await store.states(scheduleId)).toEqual({ version: 1, held: [a], reserved: [] });
      expect(await store.claim(taker.hold.holdId, 5000)).toEqual(taker.hold);
    });

    it('refuses to claim a hold that lost a seat to a reservation', async () => {
      const [a, b] = seats(2);
      const { hold: held } = await hold([a!, b!]);
      expectEvent(await store.markReserved(scheduleId, [b!]), scheduleId, 2, [[b!, 'reserved']]);
      expect(await store.claim(held.holdId, 5000)).toBeNull();
      expect(await store.states(scheduleId)).toEqual({ version: 3, held: [a], reserved: [b] });
      expectEvent(await store.release(held.holdId), scheduleId, 3, [[a!, 'available']]);
    });

    it('does not sweep a claimed hold during its lease, then consumes it', async () => {
      const [a, b] = seats(2);
      const { hold: held } = await hold([a!, b!], SHORT);
      const claimed = await store.claim(held.holdId, SHORT * 2);
      expect(claimed).toEqual(held);
      await h.elapse(SHORT + 150);
      expect(await store.sweepExpired()).toEqual([]);
      expect(await store.get(held.holdId)).toEqual(held);
      const taken = await store.create({ holdId: newHoldId(scheduleId), scheduleId, seatIds: [a!], ttlMs: LONG });
      expect(taken).toEqual({ ok: false, reason: 'unavailable', unavailableSeatIds: [a] });
      expectEvent(await store.consume(held.holdId, scheduleId, [a!, b!]), scheduleId, 2, [
        [a!, 'reserved'],
        [b!, 'reserved'],
      ]);
      expect(await store.get(held.holdId)).toBeNull();
      expect(await store.sweepExpired()).toEqual([]);
      expect(await store.states(scheduleId)).toEqual({ version: 4, held: [], reserved: expect.any(Array) });
    });

    it('sweeps a claimed hold once its lease is over', async () => {
      const [a] = seats(1);
      const { hold: held } = await hold([a!], SHORT);
      await store.claim(held.holdId, SHORT * 2);
      await h.elapse(SHORT * 2 + 150);
      const events = await store.sweepExpired();
      expect(events).toHaveLength(1);
      expectEvent(events[0]!, scheduleId, 1, [[a!, 'available']]);
    });

    it('consumes: booked seats become reserved, unbooked ones are freed', async () => {
      const [a, b, c] = seats(3);
      const { hold: held } = await hold([a!, b!]);
      expectEvent(await store.consume(held.holdId, scheduleId, [a!]), scheduleId, 2, [
        [a!, 'reserved'],
        [b!, 'available'],
      ]);
      // After the commit the seats are reserved even when the hold is already gone.
      expectEvent(await store.consume(newHoldId(scheduleId), scheduleId, [c!]), scheduleId, 4, [[c!, 'reserved']]);
      expect(await store.consume(held.holdId, scheduleId, [a!])).toBeNull();
      const states = await store.states(scheduleId);
      expect(states.version).toBe(5);
      expect(sorted(states.reserved)).toEqual(sorted([a!, c!]));
      expect(await store.unavailable(scheduleId, [a!, b!, c!])).toEqual(new Set([a, c]));
    });

    it('marks cancelled seats available, and only seats that were reserved', async () => {
      const [a, b, c] = seats(3);
      await store.markReserved(scheduleId, [a!, b!]);
      await hold([c!]);
      expectEvent(await store.markAvailable(scheduleId, [a!, c!]), scheduleId, 3, [[a!, 'available']]);
      expect(await store.markAvailable(scheduleId, [a!, c!])).toBeNull();
      expect(await store.states(scheduleId)).toEqual({ version: 4, held: [c], reserved: [b] });
      await hold([a!]);
    });

    it('reports held and reserved seats per schedule', async () => {
      const [a, b, c] = seats(3);
      const other = randomUUID();
      await hold([a!]);
      await store.markReserved(scheduleId, [b!]);
      await store.markReserved(other, [c!]);
      expect(await store.states(scheduleId)).toEqual({ version: 2, held: [a], reserved: [b] });
      expect(await store.states(other)).toEqual({ version: 1, held: [], reserved: [c] });
      expect(await store.states(randomUUID())).toEqual({ version: 0, held: [], reserved: [] });
      expect(await store.unavailable(scheduleId, [a!, b!, c!])).toEqual(new Set([a, b]));
      expect(await store.unavailable(scheduleId, [])).toEqual(new Set());
    });

    it('publishes every event in the step that makes it, in version order', async () => {
      const published = await h.listen(scheduleId);
      const [a, b, c] = seats(3);
      const returned: (SeatEvent | null)[] = [];
      const first = await hold([a!, b!], SHORT);
      returned.push(first.event);
      returned.push(await store.markReserved(scheduleId, [c!]));
      await h.elapse(SHORT + 150);
      returned.push(...(await store.sweepExpired()));
      await until(() => published.length === 3, 'three published events');
      expect(published).toEqual(returned);
      expect(published.map((e) => [e.fromVersion, e.version])).toEqual([
        [0, 2],
        [2, 3],
        [3, 5],
      ]);
    });

    it('loads the reserved markers from the database, once', async () => {
      const [a, b] = seats(2);
      const fresh = await makeStore(database);
      try {
        database.reserved.set(scheduleId, [a!]);
        await fresh.store.ensureLoaded();
        expect(await fresh.store.states(scheduleId)).toMatchObject({ held: [], reserved: [a] });
        database.reserved.set(scheduleId, [a!, b!]);
        await fresh.store.ensureLoaded();
        expect((await fresh.store.states(scheduleId)).reserved).toEqual([a]);
        expect(await fresh.store.unavailable(scheduleId, [a!, b!])).toEqual(new Set([a]));
      } finally {
        await fresh.close();
      }
    });

    it('never announces free a seat the database has reserved (its booking node died before consuming)', async () => {
      const [a, b] = seats(2);
      const { hold: held } = await hold([a!, b!], SHORT);
      // The booking claimed the hold and committed, then its node died: the hold was never consumed.
      expect(await store.claim(held.holdId, SHORT)).toEqual(held);
      database.reserved.set(scheduleId, [a!]);
      await h.elapse(SHORT + 150);
      const events = await store.sweepExpired();
      expect(events).toHaveLength(1);
      expectEvent(events[0]!, scheduleId, 2, [
        [a!, 'reserved'],
        [b!, 'available'],
      ]);
      expect(await store.states(scheduleId)).toEqual({ version: 4, held: [], reserved: [a] });
      expect(await store.get(held.holdId)).toBeNull();
    });

    it('frees a hold nobody tried to book without asking the database', async () => {
      const [a] = seats(1);
      await hold([a!], SHORT);
      await h.elapse(SHORT + 150);
      expect(await store.sweepExpired()).toHaveLength(1);
      expect(database.checks).toBe(0);
    });

    it('frees many expired holds, every seat once', async () => {
      const seatIds = seats(10);
      for (let i = 0; i < 10; i += 2) await hold([seatIds[i]!, seatIds[i + 1]!], SHORT);
      await h.elapse(SHORT + 150);
      const events = [...(await store.sweepExpired(3)), ...(await store.sweepExpired(3))];
      expect(await store.sweepExpired(3)).toEqual([]);
      const freed = events.flatMap((e) => e.changes);
      expect(freed.every((c) => c.status === 'available')).toBe(true);
      expect(sorted(freed.map((c) => c.seatId))).toEqual(sorted(seatIds));
      expect(events.at(-1)!.version).toBe(20);
      expect(await store.ping()).toBeUndefined();
    });

    describe('hold cap per holder (SPEC §11)', () => {
      const capped = (
        seatIds: string[],
        holder: { key: string; maxSeats: number },
        ttlMs = LONG,
        schedule = scheduleId,
      ) => store.create({ holdId: newHoldId(schedule), scheduleId: schedule, seatIds, ttlMs, holder });

      it('counts the seats of one holder in one performance; release and booking give them back', async () => {
        const me = { key: 'address:203.0.113.1', maxSeats: 4 };
        const s = seats(10);
        const first = await capped(s.slice(0, 3), me);
        expect(first.ok).toBe(true);
        const refused = await capped(s.slice(3, 5), me);
        expect(refused).toMatchObject({ ok: false, reason: 'holder_limit', held: 3 });
        if (refused.ok || refused.reason !== 'holder_limit') throw new Error('expected holder_limit');
        expect(refused.retryAfterMs).toBeGreaterThan(0);
        expect(refused.retryAfterMs).toBeLessThanOrEqual(LONG);
        // Nothing of the refused hold is left: its seats are free for anyone.
        expect(await store.unavailable(scheduleId, s.slice(3, 5))).toEqual(new Set());
        const fourth = await capped([s[3]!], me);
        expect(fourth.ok).toBe(true);
        // Other holders, other performances and holds without a holder are not affected.
        expect((await capped([s[4]!], { key: 'address:203.0.113.2', maxSeats: 4 })).ok).toBe(true);
        expect((await capped([s[5]!], me, LONG, randomUUID())).ok).toBe(true);
        expect(
          (await store.create({ holdId: newHoldId(scheduleId), scheduleId, seatIds: [s[6]!], ttlMs: LONG })).ok,
        ).toBe(true);

        if (!first.ok || !fourth.ok) throw new Error('expected holds');
        await store.release(first.hold.holdId);
        const again = await capped(s.slice(7, 10), me);
        expect(again.ok).toBe(true);
        expect((await capped([s[0]!], me)).ok).toBe(false);
        await store.consume(fourth.hold.holdId, scheduleId, [s[3]!]);
        expect((await capped([s[0]!], me)).ok).toBe(true);
      });

      it('an expired hold stops counting at once, before any sweep', async () => {
        const me = { key: 'admission:abc', maxSeats: 2 };
        const s = seats(4);
        expect((await capped(s.slice(0, 2), me, SHORT)).ok).toBe(true);
        const refused = await capped(s.slice(2, 4), me);
        if (refused.ok || refused.reason !== 'holder_limit') throw new Error('expected holder_limit');
        expect(refused.retryAfterMs).toBeLessThanOrEqual(SHORT);
        await h.elapse(SHORT + 150);
        expect((await capped(s.slice(2, 4), me)).ok).toBe(true);
      });

      it("adding seats counts against the hold's holder; removing and swapping do not", async () => {
        const me = { key: 'address:203.0.113.3', maxSeats: 4 };
        const s = seats(8);
        const a = await capped(s.slice(0, 2), me);
        const b = await capped(s.slice(2, 4), me);
        if (!a.ok || !b.ok) throw new Error('expected holds');
        const grow = await store.modify(b.hold.holdId, { add: [s[4]!], remove: [], maxHeldSeats: 4 });
        expect(grow).toMatchObject({ ok: false, reason: 'holder_limit', held: 4 });
        expect((await store.get(b.hold.holdId))!.seatIds).toEqual(s.slice(2, 4));
        const swap = await store.modify(b.hold.holdId, { add: [s[4]!], remove: [s[2]!], maxHeldSeats: 4 });
        expect(swap.ok).toBe(true);
        expect((await store.modify(a.hold.holdId, { add: [], remove: [s[0]!], maxHeldSeats: 4 })).ok).toBe(true);
        expect((await store.modify(b.hold.holdId, { add: [s[5]!], remove: [], maxHeldSeats: 4 })).ok).toBe(true);
        // Without a cap on the call, or for a hold made without a holder, modify is not limited.
        expect((await store.modify(b.hold.holdId, { add: [s[6]!], remove: [] })).ok).toBe(true);
        const free = await store.create({ holdId: newHoldId(scheduleId), scheduleId, seatIds: [s[7]!], ttlMs: LONG });
        if (!free.ok) throw new Error('expected hold');
        expect((await store.modify(free.hold.holdId, { add: [s[0]!], remove: [], maxHeldSeats: 1 })).ok).toBe(true);
      });

      it('concurrent holds of one holder never pass its cap', async () => {
        const me = { key: 'address:203.0.113.4', maxSeats: 8 };
        const outcomes = await Promise.all(seats(30).map((seat) => capped([seat], me)));
        expect(outcomes.filter((o) => o.ok)).toHaveLength(8);
        expect(outcomes.filter((o) => !o.ok && o.reason === 'holder_limit')).toHaveLength(22);
      });
    });

    describe('orphan guard (the orphan rule in the step that takes the seats)', () => {
      // One row of six adjacent seats, r[0] … r[5]; the guard lists the free seats beside the choice.
      let r: string[];
      beforeEach(() => {
        r = seats(6);
      });
      const beside = (chosen: number[]) =>
        [0, 1, 2, 3, 4, 5]
          .filter((i) => !chosen.includes(i) && (chosen.includes(i - 1) || chosen.includes(i + 1)))
          .map((i) => ({ seatId: r[i]!, left: r[i - 1] ?? null, right: r[i + 1] ?? null }));
      const guarded = (chosen: number[], holdId = newHoldId(scheduleId)) =>
        store.create({
          holdId,
          scheduleId,
          seatIds: chosen.map((i) => r[i]!),
          ttlMs: LONG,
          orphanGuard: beside(chosen),
        });

      it('refuses a choice that strands a free seat, naming it, and takes nothing', async () => {
        const holdId = newHoldId(scheduleId);
        expect(await guarded([1, 2], holdId)).toEqual({ ok: false, reason: 'orphan', strandedSeatIds: [r[0]] });
        expect(await store.states(scheduleId)).toEqual({ version: 0, held: [], reserved: [] });
        // The refused id was never used; without the guard the same choice is held.
        const plain = await store.create({ holdId, scheduleId, seatIds: [r[1]!, r[2]!], ttlMs: LONG });
        expect(plain.ok).toBe(true);
      });

      it('holds a choice that strands nobody', async () => {
        const outcome = await guarded([0, 1]);
        expect(outcome.ok).toBe(true);
        expect(await store.version(scheduleId)).toBe(2);
      });

      it("counts other live holds and reserved seats as taken, an expired hold's seat as free", async () => {
        await hold([r[3]!]);
        expect(await guarded([5])).toEqual({ ok: false, reason: 'orphan', strandedSeatIds: [r[4]] });
        expect(await guarded([4])).toEqual({ ok: false, reason: 'orphan', strandedSeatIds: [r[5]] });
        await store.markReserved(scheduleId, [r[0]!]);
        expect(await guarded([2])).toEqual({ ok: false, reason: 'orphan', strandedSeatIds: [r[1]] });
        expect((await guarded([1, 2])).ok).toBe(true);

        const other = seats(3);
        await hold([other[0]!], SHORT);
        await h.elapse(SHORT + 150);
        const guard = [{ seatId: other[1]!, left: other[0]!, right: other[2]! }];
        const outcome = await store.create({
          holdId: newHoldId(scheduleId),
          scheduleId,
          seatIds: [other[2]!],
          ttlMs: LONG,
          orphanGuard: guard,
        });
        expect(outcome.ok).toBe(true);
      });

      it('answers unavailable before orphan; a seat with a free neighbour left is not stranded', async () => {
        await hold([r[3]!]);
        expect(await guarded([2, 3])).toEqual({ ok: false, reason: 'unavailable', unavailableSeatIds: [r[3]] });
        // Taking r[4] leaves r[5] alone at the row end (null: no neighbour) …
        expect(await guarded([4])).toEqual({ ok: false, reason: 'orphan', strandedSeatIds: [r[5]] });
        // … taking r[2] leaves r[1] beside the free r[0].
        expect((await guarded([2])).ok).toBe(true);
      });
    });
  });
}
