import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, json, startTestApp, type TestApp } from '../support/app.ts';
import { ADMIN_TOKEN, admin, createConcert, createPerformance } from './support.ts';

/**
 * SPEC §12 accessible seating: flags set when the box office creates the performance (seat numbers of the shared
 * generator), `bestAvailable.accessible` returns wheelchair spaces with companion seats beside them, plain best
 * available leaves them alone — until ACCESSIBLE_RELEASE_MINUTES before the start when that is set.
 */
describe.each(await backends())('accessible seating (%s)', (backend) => {
  let t: TestApp;
  let released: TestApp;
  let concertId: string;

  beforeAll(async () => {
    t = await startTestApp(backend, { ADMIN_TOKEN, MAX_HELD_SEATS_PER_CLIENT: 0 });
    released = await startTestApp(backend, {
      ADMIN_TOKEN,
      MAX_HELD_SEATS_PER_CLIENT: 0,
      ACCESSIBLE_RELEASE_MINUTES: 120,
    });
    concertId = await createConcert(t.app);
  });
  afterAll(async () => {
    await t?.close();
    await released?.close();
  });

  // One row of 8: A01 A02 wheelchair spaces, A03 A04 companions, the rest plain; row B plain.
  const layout = {
    sections: [{ name: 'A', grade: 'R', price: 70_000, rows: 2, seatsPerRow: 8 }],
    accessibleSeats: ['A01', 'A02'],
    companionSeats: ['A03', 'A04'],
  };
  const best = (app: FastifyInstance, scheduleId: string, bestAvailable: object) =>
    app.inject({ method: 'POST', url: `/api/schedules/${scheduleId}/holds`, payload: { bestAvailable } });

  it('shows the flags in the layout; accessible best available gives wheelchair spaces with companions', async () => {
    const p = await createPerformance(t.app, concertId, layout);
    const flags = (n: string) => p.layout.seats.find((s) => s.seatNumber === n)!;
    expect(flags('A01')).toMatchObject({ accessible: true, companion: false });
    expect(flags('A03')).toMatchObject({ accessible: false, companion: true });
    expect(flags('A05')).toMatchObject({ accessible: false, companion: false });

    const pair = await best(t.app, p.scheduleId, { count: 2, accessible: 1 });
    expect(pair.statusCode, pair.body).toBe(201);
    expect(json(pair).seatIds.sort()).toEqual([p.seats.A02, p.seats.A03].sort());
    const second = await best(t.app, p.scheduleId, { count: 2, accessible: 1 });
    // A01 is left, but its only neighbour is A02 (taken): no companion beside it.
    expect(second.statusCode).toBe(409);
    expect(json(second).error).toMatchObject({ code: 'NO_ADJACENT_SEATS', details: { count: 2, accessible: 1 } });
    expect(json(await best(t.app, p.scheduleId, { count: 1, accessible: 1 })).seatIds).toEqual([p.seats.A01]);
    expect((await best(t.app, p.scheduleId, { count: 1, accessible: 2 })).statusCode).toBe(400);
  });

  it('plain best available leaves wheelchair spaces and companions alone; picking them on the map works', async () => {
    const p = await createPerformance(t.app, concertId, layout);
    const taken: string[] = [];
    for (;;) {
      const res = await best(t.app, p.scheduleId, { count: 1 });
      if (res.statusCode !== 201) break;
      taken.push(...json(res).seatIds);
    }
    const flagged = [p.seats.A01, p.seats.A02, p.seats.A03, p.seats.A04];
    // Row B (8) and A05–A08 (4), one by one, none of them flagged; then nothing is left for plain best available.
    expect(taken).toHaveLength(12);
    expect(taken.filter((id) => flagged.includes(id))).toEqual([]);
    expect((await best(t.app, p.scheduleId, { count: 1 })).statusCode).toBe(409);
    const direct = await t.app.inject({
      method: 'POST',
      url: `/api/schedules/${p.scheduleId}/holds`,
      payload: { seatIds: [p.seats.A04] },
    });
    expect(direct.statusCode).toBe(201);
  });

  it('releases them to everyone ACCESSIBLE_RELEASE_MINUTES before the start', async () => {
    const concert = await createConcert(released.app);
    const soon = await createPerformance(
      released.app,
      concert,
      { ...layout, sections: [{ ...layout.sections[0]!, rows: 1 }] },
      60,
    );
    const later = await createPerformance(released.app, concert, {
      ...layout,
      sections: [{ ...layout.sections[0]!, rows: 1 }],
    });
    // An hour before the start (release at two hours): the whole row is for anyone.
    const all: string[] = [];
    for (let res = await best(released.app, soon.scheduleId, { count: 1 }); res.statusCode === 201; ) {
      all.push(...json(res).seatIds);
      res = await best(released.app, soon.scheduleId, { count: 1 });
    }
    expect(all).toHaveLength(8);
    // A week before: still kept.
    expect(json(await best(released.app, later.scheduleId, { count: 4 })).seatIds.sort()).toEqual(
      [later.seats.A05, later.seats.A06, later.seats.A07, later.seats.A08].sort(),
    );
    expect((await best(released.app, later.scheduleId, { count: 1 })).statusCode).toBe(409);
  });

  it('refuses seat flags that name no seat, and a seat flagged twice', async () => {
    for (const bad of [
      { ...layout, accessibleSeats: ['Z99'] },
      { ...layout, companionSeats: ['A01'] },
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/admin/concerts/${concertId}/schedules`,
        headers: admin,
        payload: { dateTime: new Date(Date.now() + 86_400_000).toISOString(), layout: bad },
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(json(res).error.code).toBe('VALIDATION_FAILED');
    }
  });
});
