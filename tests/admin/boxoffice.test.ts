import type { AddressInfo } from 'node:net';
import { type Stats, statsSchema } from '@seatmap/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOXOFFICE_NAMESPACE } from '../../server/src/admin/boxoffice.ts';
import { backends, startTestApp, type TestApp } from '../support/app.ts';
import { createFixture, type Fixture } from '../support/fixtures.ts';
import { ADMIN_TOKEN, type BoxOfficeSocket, book, boxOffice, connected, hold, waitFor } from './support.ts';

describe.each(await backends())('/boxoffice namespace (%s)', (backend) => {
  let t: TestApp;
  let url: string;
  const sockets: BoxOfficeSocket[] = [];
  const open = (token?: string) => {
    const s = boxOffice(url, token);
    sockets.push(s);
    return s;
  };

  // Each test watches a performance of its own: throttles are per performance, so no test waits out another's.
  const performance = (): Promise<Fixture> => createFixture(t.app.context.db);

  async function watcher(f: Fixture) {
    const socket = open(ADMIN_TOKEN);
    const received: { at: number; stats: Stats }[] = [];
    socket.on('stats', (stats) => received.push({ at: Date.now(), stats: statsSchema.parse(stats) }));
    await connected(socket);
    // When the server sent each stats message: the throttle's spacing, which delivery on a busy machine blurs.
    const sentAt: number[] = [];
    const serverSide = t.app.live.gateway.io.of(BOXOFFICE_NAMESPACE).sockets.get(socket.id!);
    serverSide?.conn.on('packetCreate', (packet: { type: string; data?: unknown }) => {
      if (packet.type === 'message' && typeof packet.data === 'string' && packet.data.includes('"stats"')) {
        sentAt.push(Date.now());
      }
    });
    const ack = await socket.emitWithAck('stats:watch', f.scheduleId);
    expect(ack).toMatchObject({ ok: true, version: expect.any(Number) });
    // The current stats arrive before the ack.
    expect(received).toHaveLength(1);
    return { socket, received, sentAt };
  }

  beforeAll(async () => {
    t = await startTestApp(backend, { ADMIN_TOKEN, ORPHAN_RULE: 'off' });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t?.close();
  });

  it('refuses a handshake without a token (UNAUTHORIZED) or with a wrong one (FORBIDDEN)', async () => {
    const none = await connected(open()).catch((err: Error & { data?: unknown }) => err);
    expect(none).toBeInstanceOf(Error);
    expect((none as Error).message).toBe('UNAUTHORIZED');
    expect((none as { data?: unknown }).data).toMatchObject({ code: 'UNAUTHORIZED' });
    const wrong = await connected(open('not-the-token')).catch((err: Error) => err);
    expect((wrong as Error).message).toBe('FORBIDDEN');
    expect((wrong as { data?: unknown }).data).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('acks bad and unknown performances with an error', async () => {
    const socket = open(ADMIN_TOKEN);
    await connected(socket);
    expect(await socket.emitWithAck('stats:watch', 'nope')).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await socket.emitWithAck('stats:watch', crypto.randomUUID())).toMatchObject({
      ok: false,
      error: { code: 'SCHEDULE_NOT_FOUND' },
    });
  });

  // Timeouts of waitFor below bound a hang only; what is timed is the throttle's spacing, which the server sets.
  it('sends the current stats at once, then new stats after a change', async () => {
    const f = await performance();
    const { received } = await watcher(f);
    expect(received[0]!.stats).toMatchObject({ scheduleId: f.scheduleId, total: 60, available: 60 });
    await hold(t.app, f.scheduleId, [f.seats.A01!, f.seats.A02!]);
    await waitFor(() => received.length === 2, 10_000, 'stats after a hold');
    expect(received[1]!.stats).toMatchObject({ held: 2, available: 58, reserved: 0 });
  });

  it('sends at most one stats per second per performance during a burst, ending with the final numbers', async () => {
    const f = await performance();
    const { received, sentAt } = await watcher(f);
    const start = received.length;
    const seats = f.row('E');
    const began = Date.now();
    for (let i = 0; i < 10; i++) await book(t.app, await hold(t.app, f.scheduleId, [seats[i]!]));
    await waitFor(() => received.at(-1)!.stats.reserved === 10, 10_000, 'final stats');
    const took = Date.now() - began;
    const burst = received.slice(start);
    const sent = sentAt.slice(start, received.length);
    expect(sent).toHaveLength(burst.length);
    for (let i = 1; i < sent.length; i++) {
      expect(sent[i]! - sent[i - 1]!).toBeGreaterThanOrEqual(950);
    }
    // 20 seat changes (10 holds, 10 bookings): one message per second they took at most (plus the first at once),
    // far fewer than changes.
    expect(burst.length).toBeLessThanOrEqual(Math.ceil(took / 1000) + 1);
    expect(burst.length).toBeLessThan(20);
    expect(received.at(-1)!.stats.revenue).toBe(10 * 120_000);
  });

  it('stops sending after stats:unwatch', async () => {
    const f = await performance();
    const { socket, received } = await watcher(f);
    const witness = await watcher(f);
    socket.emit('stats:unwatch', f.scheduleId);
    // One socket's events are handled in order: once a later event is answered, the unwatch is done.
    await socket.emitWithAck('stats:watch', 'nope');
    const count = received.length;
    await hold(t.app, f.scheduleId, [f.seats.F01!]);
    await waitFor(() => witness.received.at(-1)?.stats.held === 1, 10_000, 'stats for the socket still watching');
    // The room's stats went out; whatever was sent to this socket before would arrive before this answer.
    await socket.emitWithAck('stats:watch', 'nope');
    expect(received.length).toBe(count);
  });
});
