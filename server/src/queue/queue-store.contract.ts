import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIFO_BASE, type QueueSettings, QueueStateLost, type QueueStore, type TicketView } from './queue-store.ts';

/** A fresh store on an injected clock (ms), sharing no state with any other. */
export interface QueueStoreHarness {
  store: QueueStore;
  clock: { now: number };
  /** Another store on the same state (a second node), or null where there is only one process. */
  peer(): Promise<QueueStore | null>;
  close(): Promise<void>;
}

export const member = () => randomBytes(16).toString('base64url');
const preKey = () => Math.floor(Math.random() * FIFO_BASE);
const MINUTE = 60_000;

function waiting(view: TicketView | null) {
  if (view?.status !== 'waiting') throw new Error(`expected waiting, got ${JSON.stringify(view)}`);
  return view;
}

/** The waiting-room behaviour every QueueStore must show, run against the memory and the Redis store alike. */
export function queueStoreContract(name: string, makeStore: () => Promise<QueueStoreHarness>): void {
  describe(`QueueStore contract: ${name}`, () => {
    let h: QueueStoreHarness;
    let store: QueueStore;
    let concertId: string;
    let settings: QueueSettings;

    beforeEach(async () => {
      h = await makeStore();
      store = h.store;
      concertId = randomUUID();
      settings = {
        opensAt: h.clock.now + MINUTE,
        admitPerMinute: 60,
        maxActive: 1000,
        sessionMs: 10 * MINUTE,
        paused: false,
      };
      expect(await store.arm(concertId, 'secret-1')).toBe(true);
    });
    afterEach(() => h.close());

    const admitAll = async (limit = 1000) => (await store.admit(concertId, settings, limit)).admitted;

    it('fails closed until armed, and arming twice keeps the state', async () => {
      const other = randomUUID();
      await expect(store.join(other, settings, member(), preKey())).rejects.toBeInstanceOf(QueueStateLost);
      await expect(store.view(other, settings, member())).rejects.toBeInstanceOf(QueueStateLost);
      await expect(store.admit(other, settings, 10)).rejects.toBeInstanceOf(QueueStateLost);
      await expect(store.stats(other)).rejects.toBeInstanceOf(QueueStateLost);
      await expect(store.admission(other, 'x')).rejects.toBeInstanceOf(QueueStateLost);
      await expect(store.secret(other)).rejects.toBeInstanceOf(QueueStateLost);
      const m = member();
      await store.join(concertId, settings, m, preKey());
      expect(await store.arm(concertId, 'secret-2')).toBe(false);
      expect(await store.secret(concertId)).toBe('secret-1');
      expect(waiting(await store.view(concertId, settings, m)).waiting).toBe(1);
    });

    it('keeps the pre-queue unordered until opensAt, then in sort-key order ahead of later arrivals (FIFO)', async () => {
      const pre = Array.from({ length: 20 }, () => ({ m: member(), key: preKey() }));
      for (const p of pre) {
        const view = waiting(await store.join(concertId, settings, p.m, p.key));
        expect(view.ahead).toBeNull();
        expect(view.now).toBe(h.clock.now);
      }
      expect(waiting(await store.view(concertId, settings, pre[0]!.m))).toMatchObject({ ahead: null, waiting: 20 });
      expect(await admitAll()).toBe(0);
      h.clock.now = settings.opensAt;
      const late = [member(), member(), member()];
      for (const [i, m] of late.entries()) {
        // A low sort key given after opening changes nothing: later arrivals queue by arrival.
        expect(waiting(await store.join(concertId, settings, m, 0)).ahead).toBe(20 + i);
      }
      const order = [...pre].sort((a, b) => a.key - b.key).map((p) => p.m);
      for (const [i, m] of order.entries()) expect(waiting(await store.view(concertId, settings, m)).ahead).toBe(i);
      // Moving opensAt later after opening does not reopen the pre-queue.
      const later = { ...settings, opensAt: settings.opensAt + MINUTE };
      expect(waiting(await store.join(concertId, later, member(), 0)).ahead).toBe(23);
      expect(await store.view(concertId, settings, member())).toBeNull();
    });

    it('admits in queue order, each ticket once, paced to admitPerMinute in every 60 s window', async () => {
      const members = Array.from({ length: 90 }, () => member());
      for (const m of members) await store.join(concertId, settings, m, preKey());
      h.clock.now = settings.opensAt;
      const expected = [];
      for (const m of members) expected.push({ m, ahead: waiting(await store.view(concertId, settings, m)).ahead! });
      expected.sort((a, b) => a.ahead - b.ahead);
      const times: number[] = [];
      for (let step = 0; step < 200; step++) {
        const n = await admitAll(50);
        for (let i = 0; i < n; i++) times.push(h.clock.now);
        h.clock.now += 500;
      }
      // 100 s at 60/min with a one-second burst allowance: every 60 s window holds at most 60 …
      for (const t of times) expect(times.filter((u) => u >= t && u < t + MINUTE).length).toBeLessThanOrEqual(60);
      expect(times.length).toBe(90);
      // … spread over the minute: no 10 s stretch takes more than its share plus the burst.
      for (const t of times) expect(times.filter((u) => u >= t && u < t + 10_000).length).toBeLessThanOrEqual(12);
      // Each admitted once, in queue order: admission times never go down along the line.
      const admittedAt = [];
      for (const { m } of expected) {
        const view = await store.view(concertId, settings, m);
        if (view?.status !== 'admitted') throw new Error('expected admitted');
        admittedAt.push(view.expiresAt - settings.sessionMs);
      }
      expect(admittedAt).toEqual([...admittedAt].sort((a, b) => a - b));
      const stats = await store.stats(concertId);
      expect(stats).toMatchObject({ waiting: 0, active: 90, admittedTotal: 90, expiredTotal: 0 });
      expect(stats.admittedLastMinute).toBeLessThanOrEqual(60);
    });

    it('never has more than maxActive admitted at once; ending or leaving frees a place at once', async () => {
      settings = { ...settings, opensAt: h.clock.now, admitPerMinute: 100_000, maxActive: 3 };
      const members = Array.from({ length: 6 }, () => member());
      for (const m of members) await store.join(concertId, settings, m, 0);
      expect(await admitAll()).toBe(3);
      expect(await admitAll()).toBe(0);
      const first = await store.view(concertId, settings, members[0]!);
      if (first?.status !== 'admitted') throw new Error('expected admitted');
      expect(first.expiresAt).toBe(h.clock.now + settings.sessionMs);
      await store.endAdmission(concertId, first.token, 'booked');
      expect(await store.view(concertId, settings, members[0]!)).toMatchObject({ status: 'closed' });
      expect(await admitAll()).toBe(1);
      expect(await store.leave(concertId, members[1]!)).toEqual({ was: 'admitted', holdId: null });
      expect(await store.leave(concertId, members[1]!)).toEqual({ was: 'closed', holdId: null });
      expect(await store.leave(concertId, members[5]!)).toEqual({ was: 'waiting', holdId: null });
      expect(await store.leave(concertId, member())).toBeNull();
      expect(await admitAll()).toBe(1);
      expect(await store.stats(concertId)).toMatchObject({ waiting: 0, active: 3, admittedTotal: 5 });
      expect(await admitAll()).toBe(0);
    });

    it('pauses admission without losing places', async () => {
      settings = { ...settings, opensAt: h.clock.now, admitPerMinute: 100_000, paused: true };
      const m = member();
      await store.join(concertId, settings, m, 0);
      expect(await admitAll()).toBe(0);
      expect(waiting(await store.view(concertId, settings, m)).ahead).toBe(0);
      settings = { ...settings, paused: false };
      expect(await admitAll()).toBe(1);
    });

    it('expires admissions after the session: closed, counted, their holds handed back, never readmitted', async () => {
      settings = { ...settings, opensAt: h.clock.now, admitPerMinute: 100_000, maxActive: 1 };
      const [a, b] = [member(), member()];
      await store.join(concertId, settings, a, 0);
      await store.join(concertId, settings, b, 0);
      expect(await admitAll()).toBe(1);
      const view = await store.view(concertId, settings, a);
      if (view?.status !== 'admitted') throw new Error('expected admitted');
      expect(await store.setHold(concertId, view.token, '', 'hold-1', view.expiresAt)).toBe(true);
      h.clock.now += settings.sessionMs;
      expect(await store.view(concertId, settings, a)).toMatchObject({ status: 'closed' });
      expect(await store.admission(concertId, view.token)).toMatchObject({ state: 'expired', holdId: 'hold-1' });
      expect(await store.stats(concertId)).toMatchObject({ active: 0, expiredTotal: 1 });
      expect(await store.admit(concertId, settings, 10)).toEqual({ admitted: 1, expiredHolds: ['hold-1'] });
      expect(await store.stats(concertId)).toMatchObject({ waiting: 0, active: 1, admittedTotal: 2, expiredTotal: 1 });
      expect(await store.view(concertId, settings, a)).toMatchObject({ status: 'closed' });
      expect(await store.admit(concertId, settings, 10)).toEqual({ admitted: 0, expiredHolds: [] });
    });

    it("binds one hold to an admission at a time (compare-and-set) and reads the admission's state", async () => {
      settings = { ...settings, opensAt: h.clock.now, admitPerMinute: 100_000 };
      const m = member();
      await store.join(concertId, settings, m, 0);
      await admitAll();
      const view = await store.view(concertId, settings, m);
      if (view?.status !== 'admitted') throw new Error('expected admitted');
      expect(await store.admission(concertId, view.token)).toEqual({
        member: m,
        state: 'active',
        expiresAt: view.expiresAt,
        holdId: '',
        holdUntil: 0,
        now: h.clock.now,
      });
      expect(await store.admission(concertId, 'no-such-token')).toBeNull();
      expect(await store.setHold(concertId, view.token, '', 'pending:1', h.clock.now + 5000)).toBe(true);
      expect(await store.setHold(concertId, view.token, '', 'pending:2', h.clock.now + 5000)).toBe(false);
      expect(await store.setHold(concertId, view.token, 'pending:1', 'hold-a', view.expiresAt)).toBe(true);
      expect(await store.admission(concertId, view.token)).toMatchObject({ holdId: 'hold-a' });
      expect(await store.leave(concertId, m)).toEqual({ was: 'admitted', holdId: 'hold-a' });
      expect(await store.admission(concertId, view.token)).toMatchObject({ state: 'left' });
      expect(await store.setHold(concertId, view.token, 'hold-a', '', 0)).toBe(false);
    });

    it('uses a challenge once, and forgets it after its expiry', async () => {
      expect(await store.useChallenge(concertId, 'c1', h.clock.now + 1000)).toBe(true);
      expect(await store.useChallenge(concertId, 'c1', h.clock.now + 1000)).toBe(false);
      expect(await store.useChallenge(concertId, 'c2', h.clock.now + 1000)).toBe(true);
      h.clock.now += 1000;
      expect(await store.useChallenge(concertId, 'c1', h.clock.now + 1000)).toBe(true);
    });

    it('admits each ticket once when two nodes meter at the same time, within the rate and maxActive', async () => {
      const peer = (await h.peer()) ?? store;
      settings = { ...settings, opensAt: h.clock.now, admitPerMinute: 600, maxActive: 40 };
      const members = Array.from({ length: 100 }, () => member());
      await Promise.all(members.map((m) => store.join(concertId, settings, m, 0)));
      let total = 0;
      const perStep: number[] = [];
      for (let step = 0; step < 50; step++) {
        const results = await Promise.all(
          Array.from({ length: 6 }, (_, i) => (i % 2 ? peer : store).admit(concertId, settings, 7)),
        );
        const n = results.reduce((sum, r) => sum + r.admitted, 0);
        perStep.push(n);
        total += n;
        h.clock.now += 100;
        expect((await store.stats(concertId)).active).toBeLessThanOrEqual(40);
      }
      expect(total).toBe(40);
      // 600/min = 10/s: the first second may take its burst (11), later 100 ms steps about one each.
      expect(perStep[0]).toBe(11);
      for (const n of perStep.slice(1)) expect(n).toBeLessThanOrEqual(2);
      const tokens = new Set<string>();
      for (const m of members) {
        const view = await store.view(concertId, settings, m);
        if (view?.status === 'admitted') tokens.add(view.token);
      }
      expect(tokens.size).toBe(40);
    });
  });
}
