import { layoutSchema, type SeatsChanged, scheduleStatusSchema, seatsChangedSchema } from '@seatmap/shared';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientSocket, collect, socketClient } from '../live/support.ts';
import { backends, json, startNodes } from '../support/app.ts';
import { waitFor } from '../support/wait.ts';
import { ADMIN_TOKEN, createConcert, createPerformance, customerNo, urlOf } from './support.ts';

/**
 * SPEC §12 standing areas: places sold by quantity, never past capacity (the hold store at hold time, the database
 * at booking), counts in `…/status` and in `areaChanges`, entry numbers on the reservation. On real services the
 * suite runs on two nodes sharing Postgres and Redis, taking turns; embedded on the one node.
 */
describe.each(await backends())('standing areas (%s)', (backend) => {
  let nodes: FastifyInstance[];
  let close: () => Promise<void>;
  let turn = 0;
  const node = () => nodes[turn++ % nodes.length]!;
  const sockets: ClientSocket[] = [];
  let concertId: string;

  beforeAll(async () => {
    ({ nodes, close } = await startNodes(backend, {
      ADMIN_TOKEN,
      MAX_HELD_SEATS_PER_CLIENT: 0,
      MAX_TICKETS_PER_PERSON: 0,
      ORPHAN_RULE: 'off',
    }));
    concertId = await createConcert(nodes[0]!);
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await close?.();
  });

  const floor = (capacity: number) => ({
    sections: [{ name: 'A', grade: 'R', price: 100_000, rows: 2, seatsPerRow: 6 }],
    areas: [{ name: 'FLOOR', grade: 'F', price: 80_000, capacity, x: 0, y: 10, width: 6, height: 4 }],
  });
  const hold = (scheduleId: string, payload: unknown, via = node()) =>
    via.inject({ method: 'POST', url: `/api/schedules/${scheduleId}/holds`, payload: payload as object });
  const book = (holdId: string, i: number, via = node()) =>
    via.inject({ method: 'POST', url: '/api/reservations', payload: { holdId, customer: customerNo(i) } });
  const status = async (scheduleId: string) =>
    scheduleStatusSchema.parse(json(await node().inject({ url: `/api/schedules/${scheduleId}/status` })));

  it('shows the area in the layout and its count in the status; a hold by quantity books numbered places', async () => {
    const p = await createPerformance(node(), concertId, floor(5));
    expect(p.totalSeats).toBe(12 + 5);
    const layout = layoutSchema.strict().parse(p.layout);
    expect(layout.seats).toHaveLength(12);
    expect(layout.areas).toEqual([
      {
        id: expect.any(String),
        name: 'FLOOR',
        grade: 'F',
        price: 80_000,
        capacity: 5,
        x: 0,
        y: 10,
        width: 6,
        height: 4,
      },
    ]);
    const areaId = layout.areas[0]!.id;
    expect((await status(p.scheduleId)).areas).toEqual([{ id: areaId, available: 5 }]);

    const res = await hold(p.scheduleId, { seatIds: [p.seats.A01], area: { id: areaId, quantity: 2 } });
    expect(res.statusCode, res.body).toBe(201);
    const created = json(res);
    expect(created).toMatchObject({ seatIds: [p.seats.A01], area: { id: areaId, quantity: 2 } });
    expect(json(await node().inject({ url: `/api/holds/${created.holdId}` }))).toEqual(created);
    expect((await status(p.scheduleId)).areas).toEqual([{ id: areaId, available: 3 }]);
    // The places are not seats: the statuses string has one character per seat only.
    expect((await status(p.scheduleId)).statuses).toHaveLength(12);

    const booked = await book(created.holdId, 1);
    expect(booked.statusCode, booked.body).toBe(201);
    const reservation = json(booked);
    expect(reservation.seats.map((s: { id: string }) => s.id)).toEqual([p.seats.A01]);
    // Two neighbouring entry numbers (a buyer starts at a random one of the first free places: SPREAD).
    const first = reservation.areaTickets[0]?.entryNumber as number;
    expect(first).toBeGreaterThanOrEqual(1);
    expect(first).toBeLessThanOrEqual(4);
    expect(reservation.areaTickets).toEqual([
      { areaId, name: 'FLOOR', grade: 'F', price: 80_000, entryNumber: first },
      { areaId, name: 'FLOOR', grade: 'F', price: 80_000, entryNumber: first + 1 },
    ]);
    expect(reservation.totalPrice).toBe(100_000 + 2 * 80_000);
    expect((await status(p.scheduleId)).areas).toEqual([{ id: areaId, available: 3 }]);

    const found = json(
      await node().inject({
        method: 'POST',
        url: '/api/reservations/lookup',
        payload: { phone: customerNo(1).phone, reservationNumber: reservation.reservationNumber },
      }),
    );
    expect(found.reservations[0].areaTickets.map((t: { entryNumber: number }) => t.entryNumber)).toEqual([
      first,
      first + 1,
    ]);

    // Too many for what is left, an unknown area, and more tickets than one hold may have.
    const over = await hold(p.scheduleId, { area: { id: areaId, quantity: 4 } });
    expect(over.statusCode).toBe(409);
    expect(json(over).error).toMatchObject({ code: 'AREA_SOLD_OUT', details: { areaId, available: 3 } });
    const unknown = await hold(p.scheduleId, { area: { id: p.scheduleId, quantity: 1 } });
    expect(unknown.statusCode).toBe(400);
    const big = await hold(p.scheduleId, {
      seatIds: [p.seats.B01, p.seats.B02, p.seats.B03],
      area: { id: areaId, quantity: 2 },
    });
    expect(json(big).error.code).toBe('VALIDATION_FAILED');
    // Best available never hands out standing places.
    const best = json(await hold(p.scheduleId, { bestAvailable: { count: 4 } }));
    expect(best.area).toBeUndefined();
    expect(best.seatIds.every((id: string) => layout.seats.some((s) => s.id === id))).toBe(true);
  });

  it('never sells past capacity when many buyers on every node race for the last places', async () => {
    const capacity = 12;
    const p = await createPerformance(node(), concertId, floor(capacity));
    const areaId = p.layout.areas[0]!.id;
    // 30 buyers want 1 or 2 places each (45 in all) from both nodes at once.
    const wanted = Array.from({ length: 30 }, (_, i) => 1 + (i % 2));
    const results = await Promise.all(
      wanted.map((quantity, i) => hold(p.scheduleId, { area: { id: areaId, quantity } }, nodes[i % nodes.length])),
    );
    const held = results.filter((r) => r.statusCode === 201).map((r) => json(r));
    const heldPlaces = held.reduce((n, h) => n + h.area.quantity, 0);
    expect(heldPlaces).toBeLessThanOrEqual(capacity);
    results.forEach((r, i) => {
      if (r.statusCode === 201) return;
      expect(r.statusCode, r.body).toBe(409);
      // "Sold out" is true: fewer places are left than this buyer asked for (else a retryable SEAT_UNAVAILABLE).
      if (json(r).error.code === 'AREA_SOLD_OUT') expect(capacity - heldPlaces).toBeLessThan(wanted[i]!);
      else expect(json(r).error.code).toBe('SEAT_UNAVAILABLE');
    });
    expect((await status(p.scheduleId)).areas).toEqual([{ id: areaId, available: capacity - heldPlaces }]);

    // Everyone books at once, then the rest is sold one by one until the area is sold out.
    const bookings = await Promise.all(held.map((h, i) => book(h.holdId, 100 + i, nodes[i % nodes.length])));
    for (const b of bookings) expect(b.statusCode, b.body).toBe(201);
    let sold = heldPlaces;
    for (let i = 0; ; i++) {
      const more = await hold(p.scheduleId, { area: { id: areaId, quantity: 1 } });
      if (more.statusCode === 409) {
        expect(json(more).error).toMatchObject({ code: 'AREA_SOLD_OUT', details: { available: 0 } });
        break;
      }
      expect(more.statusCode, more.body).toBe(201);
      expect((await book(json(more).holdId, 200 + i)).statusCode).toBe(201);
      sold++;
    }
    expect(sold).toBe(capacity);

    // The database agrees: exactly `capacity` places in confirmed reservations, each entry number once.
    const { rows } = await sql<{ position: number }>`
      SELECT st.position FROM reservations r
      CROSS JOIN LATERAL unnest(r.seat_ids) AS booked(seat_id)
      JOIN seats st ON st.id = booked.seat_id
      WHERE r.schedule_id = ${p.scheduleId} AND r.status = 'confirmed' AND st.area_id = ${areaId}`.execute(
      nodes[0]!.context.db,
    );
    expect(rows.map((r) => r.position).sort((a, b) => a - b)).toEqual(
      Array.from({ length: capacity }, (_, i) => i + 1),
    );
    expect((await status(p.scheduleId)).areas).toEqual([{ id: areaId, available: 0 }]);
  });

  it('tells every watcher the area count in areaChanges, and keeps places out of the seat changes', async () => {
    const p = await createPerformance(node(), concertId, floor(8));
    const areaId = p.layout.areas[0]!.id;
    const watchers = await Promise.all(
      nodes.map(async (n) => {
        const socket = socketClient(await urlOf(n));
        sockets.push(socket);
        const events = collect(socket);
        expect(await socket.emitWithAck('schedule:join', p.scheduleId)).toMatchObject({ ok: true });
        return events;
      }),
    );
    const made = json(await hold(p.scheduleId, { seatIds: [p.seats.A03], area: { id: areaId, quantity: 3 } }));
    const lastArea = (events: SeatsChanged[]) =>
      events
        .flatMap((e) => e.areaChanges ?? [])
        .filter((c) => c.areaId === areaId)
        .at(-1)?.available;
    await waitFor(() => watchers.every((events) => lastArea(events) === 5), undefined, 'areaChanges 5 everywhere');
    for (const events of watchers) {
      for (const e of events) seatsChangedSchema.strict().parse(e);
      expect(events.flatMap((e) => e.changes).map((c) => c.seatId)).toEqual([p.seats.A03]);
      // Versions count the places too: A03 and three places are four steps.
      expect(events.at(-1)!.version).toBe(4);
    }
    expect((await node().inject({ method: 'DELETE', url: `/api/holds/${made.holdId}` })).statusCode).toBe(204);
    await waitFor(() => watchers.every((events) => lastArea(events) === 8), undefined, 'areaChanges 8 everywhere');
    // What the watchers saw equals the status.
    expect((await status(p.scheduleId)).areas).toEqual([{ id: areaId, available: 8 }]);
  });
});
