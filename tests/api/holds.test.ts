import { holdSchema, seatMapSchema } from '@seatmap/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, json, startTestApp, type TestApp } from '../support/app.ts';
import { createFixture, type Fixture } from '../support/fixtures.ts';
import { waitFor } from '../support/wait.ts';

describe.each(await backends())('hold API (%s)', (backend) => {
  let t: TestApp;
  let f: Fixture;
  const hold = (payload: unknown, scheduleId = f.scheduleId) =>
    t.app.inject({ method: 'POST', url: `/api/schedules/${scheduleId}/holds`, payload: payload as object });
  const statusOf = async (seatId: string) => {
    const map = seatMapSchema.parse(
      json(await t.app.inject({ method: 'GET', url: `/api/schedules/${f.scheduleId}/seats` })),
    );
    return map.seats.find((s) => s.id === seatId)?.status;
  };

  beforeAll(async () => {
    t = await startTestApp(backend);
    f = await createFixture(t.app.context.db);
  });
  afterAll(() => t?.close());

  it('holds seats all-or-nothing and names the unavailable ones', async () => {
    const first = await hold({ seatIds: [f.seats.A01, f.seats.A02] });
    expect(first.statusCode).toBe(201);
    const body = holdSchema.parse(json(first));
    expect(body.seatIds).toEqual([f.seats.A01, f.seats.A02]);
    expect(body.holdId.length).toBeGreaterThanOrEqual(32);
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(290_000);

    const clash = await hold({ seatIds: [f.seats.A02, f.seats.A03] });
    expect(clash.statusCode).toBe(409);
    expect(json(clash).error).toMatchObject({
      code: 'SEAT_UNAVAILABLE',
      details: { unavailableSeatIds: [f.seats.A02] },
    });
    // Nothing of the refused hold was kept.
    expect(await statusOf(f.seats.A03)).toBe('available');
    expect(await statusOf(f.seats.A02)).toBe('held');
  });

  it('reads, changes and releases a hold', async () => {
    const created = holdSchema.parse(json(await hold({ seatIds: [f.seats.B05] })));
    const got = await t.app.inject({ method: 'GET', url: `/api/holds/${created.holdId}` });
    expect(got.statusCode).toBe(200);
    expect(json(got).seatIds).toEqual([f.seats.B05]);

    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/holds/${created.holdId}`,
      payload: { add: [f.seats.B06] },
    });
    expect(patched.statusCode).toBe(200);
    expect(new Set(json(patched).seatIds)).toEqual(new Set([f.seats.B05, f.seats.B06]));
    expect(json(patched).expiresAt).toBe(created.expiresAt);

    const removed = await t.app.inject({
      method: 'PATCH',
      url: `/api/holds/${created.holdId}`,
      payload: { remove: [f.seats.B05] },
    });
    expect(json(removed).seatIds).toEqual([f.seats.B06]);
    expect(await statusOf(f.seats.B05)).toBe('available');

    const released = await t.app.inject({ method: 'DELETE', url: `/api/holds/${created.holdId}` });
    expect(released.statusCode).toBe(204);
    expect(await statusOf(f.seats.B06)).toBe('available');
    const gone = await t.app.inject({ method: 'GET', url: `/api/holds/${created.holdId}` });
    expect(gone.statusCode).toBe(404);
    expect(json(gone).error.code).toBe('HOLD_NOT_FOUND');
    const again = await t.app.inject({ method: 'DELETE', url: `/api/holds/${created.holdId}` });
    expect(again.statusCode).toBe(404);
  });

  it('adds all-or-nothing on PATCH', async () => {
    const mine = holdSchema.parse(json(await hold({ seatIds: [f.seats.C01] })));
    const other = holdSchema.parse(json(await hold({ seatIds: [f.seats.C05] })));
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/holds/${mine.holdId}`,
      payload: { add: [f.seats.C02, f.seats.C05] },
    });
    expect(res.statusCode).toBe(409);
    expect(json(res).error.details.unavailableSeatIds).toEqual([f.seats.C05]);
    expect(await statusOf(f.seats.C02)).toBe('available');
    await t.app.inject({ method: 'DELETE', url: `/api/holds/${mine.holdId}` });
    await t.app.inject({ method: 'DELETE', url: `/api/holds/${other.holdId}` });
  });

  it('refuses more seats than MAX_SEATS_PER_HOLD', async () => {
    const ids = [f.seats.D01, f.seats.D02, f.seats.D03, f.seats.D04, f.seats.D05];
    const res = await hold({ seatIds: ids });
    expect(res.statusCode).toBe(400);
    expect(json(res).error.code).toBe('VALIDATION_FAILED');
    const best = await hold({ bestAvailable: { count: 5 } });
    expect(best.statusCode).toBe(400);
  });

  it('never lets concurrent PATCHes grow a hold past MAX_SEATS_PER_HOLD', async () => {
    const mine = holdSchema.parse(json(await hold({ seatIds: [f.seats.F01, f.seats.F02] })));
    const pairs = [
      [f.seats.F03, f.seats.F04],
      [f.seats.F05, f.seats.F06],
      [f.seats.F07, f.seats.F08],
      [f.seats.F09, f.seats.F10],
    ];
    const results = await Promise.all(
      pairs.map((add) => t.app.inject({ method: 'PATCH', url: `/api/holds/${mine.holdId}`, payload: { add } })),
    );
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    for (const r of results.filter((r) => r.statusCode !== 200)) {
      expect(r.statusCode).toBe(400);
      expect(json(r).error.code).toBe('VALIDATION_FAILED');
    }
    const after = json(await t.app.inject({ method: 'GET', url: `/api/holds/${mine.holdId}` }));
    expect(after.seatIds).toHaveLength(4);
    const held = (await t.app.context.holdStore.states(f.scheduleId)).held.filter((id) =>
      [...pairs.flat(), f.seats.F01, f.seats.F02].includes(id),
    );
    expect(held).toHaveLength(4);
    await t.app.inject({ method: 'DELETE', url: `/api/holds/${mine.holdId}` });
  });

  it('refuses a hold that strands a single seat when another choice avoids it', async () => {
    // Row E: taking E02+E03 strands E01 next to the row end.
    const res = await hold({ seatIds: [f.seats.E02, f.seats.E03] });
    expect(res.statusCode).toBe(409);
    expect(json(res).error).toMatchObject({ code: 'ORPHAN_SEAT', details: { strandedSeatIds: [f.seats.E01] } });
    const fine = await hold({ seatIds: [f.seats.E01, f.seats.E02] });
    expect(fine.statusCode).toBe(201);
    await t.app.inject({ method: 'DELETE', url: `/api/holds/${json(fine).holdId}` });
  });

  it("sees another buyer's hold two places away: a choice that would strand the seat between is refused", async () => {
    const other = await hold({ seatIds: [f.seats.E07] });
    expect(other.statusCode).toBe(201);
    const right = await hold({ seatIds: [f.seats.E09] });
    expect(right.statusCode).toBe(409);
    // E09 would strand E08 (beside the held E07) and E10 (at the row's end).
    expect(json(right).error.code).toBe('ORPHAN_SEAT');
    expect(new Set(json(right).error.details.strandedSeatIds)).toEqual(new Set([f.seats.E08, f.seats.E10]));
    const left = await hold({ seatIds: [f.seats.E05] });
    expect(json(left).error).toMatchObject({ code: 'ORPHAN_SEAT', details: { strandedSeatIds: [f.seats.E06] } });
    const beside = await hold({ seatIds: [f.seats.E08] });
    expect(beside.statusCode).toBe(201);
    for (const res of [other, beside]) await t.app.inject({ method: 'DELETE', url: `/api/holds/${json(res).holdId}` });
  });

  it('picks the best adjacent seats: nearest row to the stage, centred, optional grade', async () => {
    const res = await hold({ bestAvailable: { count: 2, grade: 'S' } });
    expect(res.statusCode).toBe(201);
    const seatIds: string[] = json(res).seatIds;
    expect(seatIds).toHaveLength(2);
    // Row D is the first S row; the middle of a 10-seat row is seats 5 and 6.
    expect(new Set(seatIds)).toEqual(new Set([f.seats.D05, f.seats.D06]));
    const unknownGrade = await hold({ bestAvailable: { count: 2, grade: 'Z' } });
    expect(unknownGrade.statusCode).toBe(400);
    await t.app.inject({ method: 'DELETE', url: `/api/holds/${json(res).holdId}` });
  });

  it('answers 409 NO_ADJACENT_SEATS when no row has enough adjacent seats', async () => {
    const small = await createFixture(t.app.context.db, {
      sections: [{ grade: 'R', price: 1000, rows: 1, seatsPerRow: 3 }],
    });
    const taken = await hold({ seatIds: [small.seats.A01] }, small.scheduleId);
    expect(taken.statusCode).toBe(201);
    const res = await hold({ bestAvailable: { count: 3 } }, small.scheduleId);
    expect(res.statusCode).toBe(409);
    expect(json(res).error.code).toBe('NO_ADJACENT_SEATS');
  });

  it('refuses unknown and past performances', async () => {
    const unknown = await hold({ seatIds: [f.seats.F01] }, '00000000-0000-4000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown).error.code).toBe('SCHEDULE_NOT_FOUND');
    const past = await createFixture(t.app.context.db, { startsInMinutes: -10 });
    const res = await hold({ seatIds: [past.seats.A01] }, past.scheduleId);
    expect(res.statusCode).toBe(409);
    expect(json(res).error.code).toBe('SCHEDULE_CLOSED');
  });

  it('frees an expired hold and announces it', async () => {
    const short = await startTestApp(backend, { HOLD_TTL_SECONDS: 1 }, { sweepIntervalMs: 100 });
    try {
      const g = await createFixture(short.app.context.db);
      const events: unknown[] = [];
      await short.app.context.bus.subscribe(g.scheduleId, (e) => events.push(e));
      const res = await short.app.inject({
        method: 'POST',
        url: `/api/schedules/${g.scheduleId}/holds`,
        payload: { seatIds: [g.seats.A01, g.seats.A02] },
      });
      expect(res.statusCode).toBe(201);
      const isRelease = (e: unknown) =>
        (e as { changes: { status: string }[] }).changes.every((c) => c.status === 'available');
      // Expired, swept and announced (the timeout bounds a hang only).
      await waitFor(() => events.some(isRelease), 20_000, 'the expired hold to be freed');
      const gone = await short.app.inject({ method: 'GET', url: `/api/holds/${json(res).holdId}` });
      expect(gone.statusCode).toBe(404);
      const map = json(await short.app.inject({ method: 'GET', url: `/api/schedules/${g.scheduleId}/seats` }));
      expect(map.seats.filter((s: { status: string }) => s.status !== 'available')).toEqual([]);
      const released = events.filter(isRelease);
      expect(released).toHaveLength(1);
      expect((released[0] as { changes: unknown[] }).changes).toHaveLength(2);
    } finally {
      await short.close();
    }
  });
});
