import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/src/app.ts';
import { testConfig } from '../../server/src/config.ts';
import { createFixture, customer } from '../support/fixtures.ts';

/** The value of one sample line, e.g. `seatmap_holds_total 1`, or undefined when absent. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `) || l.startsWith(`${name}${labels}{`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('/metrics', () => {
  let app: Awaited<ReturnType<typeof buildApp>>;
  let scheduleId: string;
  let seats: string[];

  beforeAll(async () => {
    app = await buildApp(testConfig({ DATABASE_URL: 'memory://', RATE_LIMIT_PER_MINUTE: 0 }), { clientDir: null });
    const fixture = await createFixture(app.context.db);
    scheduleId = fixture.scheduleId;
    seats = fixture.row('A');
  });
  afterAll(() => app?.close());

  const scrape = async () => {
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    return res.body;
  };

  it('exposes HTTP, store, database, live and event-loop metrics', async () => {
    const text = await scrape();
    for (const name of [
      'seatmap_http_request_duration_seconds',
      'seatmap_holds_total',
      'seatmap_bookings_total',
      'seatmap_cancellations_total',
      'seatmap_conflicts_total',
      'seatmap_hold_store_duration_seconds',
      'seatmap_db_query_duration_seconds',
      'seatmap_socketio_connections',
      'seatmap_socketio_rooms',
      'seatmap_ws_feed_connections',
      'seatmap_nodejs_eventloop_lag_seconds',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(sample(text, 'seatmap_socketio_connections')).toBe(0);
  });

  it('counts a hold, a conflict, a booking and a cancellation, and times them', async () => {
    const before = await scrape();
    const hold = await app.inject({
      method: 'POST',
      url: `/api/schedules/${scheduleId}/holds`,
      payload: { seatIds: [seats[0], seats[1]] },
    });
    expect(hold.statusCode).toBe(201);
    const clash = await app.inject({
      method: 'POST',
      url: `/api/schedules/${scheduleId}/holds`,
      payload: { seatIds: [seats[1], seats[2]] },
    });
    expect(clash.statusCode).toBe(409);
    const booking = await app.inject({
      method: 'POST',
      url: '/api/reservations',
      payload: { holdId: hold.json().holdId, customer },
    });
    expect(booking.statusCode).toBe(201);
    const cancel = await app.inject({
      method: 'POST',
      url: `/api/reservations/${booking.json().reservationNumber}/cancel`,
      payload: { phone: customer.phone },
    });
    expect(cancel.statusCode).toBe(200);

    const after = await scrape();
    const delta = (name: string, labels = '') =>
      (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    expect(delta('seatmap_holds_total')).toBe(1);
    expect(delta('seatmap_bookings_total')).toBe(1);
    expect(delta('seatmap_cancellations_total')).toBe(1);
    expect(delta('seatmap_conflicts_total', '{step="hold"}')).toBe(1);
    expect(
      delta(
        'seatmap_http_request_duration_seconds_count',
        '{route="/api/schedules/:scheduleId/holds",method="POST",status_code="201"}',
      ),
    ).toBe(1);
    expect(delta('seatmap_hold_store_duration_seconds_count', '{method="consume",outcome="ok"}')).toBe(1);
    // The booking is one raw SQL statement (lock, insert, mark); the cancellation two updates.
    expect(delta('seatmap_db_query_duration_seconds_count', '{kind="raw"}')).toBeGreaterThanOrEqual(1);
    expect(delta('seatmap_db_query_duration_seconds_count', '{kind="update"}')).toBeGreaterThanOrEqual(2);
  });
});
