import { liveCompactSnapshotSchema, seatMapSchema, seatsChangedSchema } from '@seatmap/shared';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../support/app.ts';
import { createFixture, type Fixture } from '../support/fixtures.ts';
import { realServices } from '../support/services.ts';
import { type ClientSocket, collect, feedClient, socketClient, waitFor } from './support.ts';

const enabled = await realServices();

/** The real server, three times, on one Postgres database and one Redis prefix (SPEC §2 scale-out). */
describe.runIf(enabled)('live seat map across three real app nodes', () => {
  let cluster: TestCluster;
  let apps: FastifyInstance[];
  let urls: string[];
  const clients: ClientSocket[] = [];
  let fixture: Fixture;

  beforeAll(async () => {
    cluster = await startTestCluster(3);
    ({ nodes: apps, urls } = cluster);
    fixture = await createFixture(apps[0]!.context.db);
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await cluster?.close();
  });

  it('a hold made on node 2 reaches Socket.IO watchers on nodes 1 and 3 and the plain feed on node 1', async () => {
    const watchers = [0, 2].map((i) => {
      const socket = socketClient(urls[i]!);
      clients.push(socket);
      return { socket, events: collect(socket) };
    });
    for (const w of watchers) {
      expect(await w.socket.emitWithAck('schedule:join', fixture.scheduleId)).toEqual({ ok: true, version: 0 });
    }
    const feed = feedClient(urls[0]!, fixture.scheduleId);
    await waitFor(() => feed.messages.length === 1, undefined, 'feed snapshot');
    const snapshot = liveCompactSnapshotSchema.parse(feed.messages[0]);
    expect(snapshot).toMatchObject({ type: 'snapshot', version: 0, statuses: 'a'.repeat(60) });

    const seatIds = [fixture.seats.A01!, fixture.seats.A02!];
    const res = await fetch(`${urls[1]}/api/schedules/${fixture.scheduleId}/holds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seatIds }),
    });
    expect(res.status).toBe(201);
    const hold = (await res.json()) as { holdId: string };
    await waitFor(
      () => watchers.every((w) => w.events.length > 0) && feed.messages.length > 1,
      undefined,
      'the hold on every watcher',
    );
    const layout = (await (await fetch(`${urls[2]}/api/schedules/${fixture.scheduleId}/layout`)).json()) as {
      seats: { id: string }[];
    };
    const expected = {
      scheduleId: fixture.scheduleId,
      fromVersion: 0,
      version: 2,
      changes: expect.arrayContaining(
        seatIds.map((seatId) => ({ seatId, index: layout.seats.findIndex((s) => s.id === seatId), status: 'held' })),
      ),
    };
    // Exactly SPEC's shape: the publish time the bus carries (for the fan-out lag metric) never reaches a client.
    for (const w of watchers) expect(w.events[0]).toEqual(seatsChangedSchema.parse(w.events[0]));
    for (const w of watchers) expect(w.events[0]).toEqual(expected);
    expect(feed.messages[1]).toEqual({ type: 'seats:changed', ...expected });

    // Released through node 3: back to available everywhere, and the snapshot agrees with what watchers saw.
    expect((await fetch(`${urls[2]}/api/holds/${hold.holdId}`, { method: 'DELETE' })).status).toBe(204);
    await waitFor(
      () => feed.messages.length === 3 && watchers.every((w) => w.events.length === 2),
      undefined,
      'release',
    );
    expect(feed.messages[2]).toMatchObject({ type: 'seats:changed', fromVersion: 2, version: 4 });
    const map = seatMapSchema.parse(await (await fetch(`${urls[0]}/api/schedules/${fixture.scheduleId}/seats`)).json());
    expect(map.version).toBe(4);
    expect(map.seats.filter((s) => s.status !== 'available')).toEqual([]);
    feed.ws.close();
  });

  it('reports live connections in each node’s counters', async () => {
    const socket = socketClient(urls[1]!);
    clients.push(socket);
    expect(await socket.emitWithAck('schedule:join', fixture.scheduleId)).toMatchObject({ ok: true });
    const metrics = await (await fetch(`${urls[1]}/metrics`)).text();
    expect(metrics).toMatch(/^seatmap_socketio_connections 1$/m);
    expect(metrics).toMatch(/^seatmap_socketio_rooms 1$/m);
    expect(metrics).toMatch(/^seatmap_ws_feed_connections 0$/m);
  });
});
