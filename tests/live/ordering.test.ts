import { randomInt } from 'node:crypto';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startTestCluster, type TestCluster } from '../support/app.ts';
import { createFixture, type Fixture } from '../support/fixtures.ts';
import { realServices } from '../support/services.ts';

const enabled = await realServices();

const BUYERS = 400;
const NODES = 3;
/** Per node: Socket.IO watchers and plain feeds (45 watchers in all). */
const SOCKETS_PER_NODE = 10;
const FEEDS_PER_NODE = 5;

interface Change {
  seatId: string;
  status: string;
}
interface Watcher {
  /** Seat id → status, from the starting snapshot plus every event in order. */
  map: Map<string, string>;
  version: number;
  gaps: number;
  close(): void;
}

function applyTo(w: Watcher, event: { fromVersion: number; version: number; changes: Change[] }) {
  if (event.version <= w.version) return;
  if (event.fromVersion !== w.version) w.gaps++;
  for (const change of event.changes) w.map.set(change.seatId, change.status);
  w.version = event.version;
}

/**
 * SPEC §9 ordered delivery, end to end: three real nodes on one Postgres and one Redis, 400 buyers at once holding,
 * booking and releasing through all three, 45 watchers (Socket.IO and plain feed) spread over the nodes. Every
 * watcher connected throughout must see contiguous versions — no gap, so no refetch — and end with exactly the
 * seat map the server has. Written against part-one APIs only (`/seats`, the full feed snapshot), so it runs on
 * code from before ordered versions too — where it fails with gaps.
 */
describe.runIf(enabled)('ordered live events under a rush on three nodes', () => {
  let cluster: TestCluster;
  let fixture: Fixture;
  const watchers: Watcher[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster(NODES, { ORPHAN_RULE: 'off', BROADCAST_WINDOW_MS: 20 });
    fixture = await createFixture(cluster.nodes[0]!.context.db, {
      sections: [{ grade: 'R', price: 100_000, rows: 15, seatsPerRow: 20 }],
    });
  });
  afterAll(async () => {
    for (const w of watchers) w.close();
    await cluster?.close();
  });

  const seatMap = async (url: string) =>
    (await (await fetch(`${url}/api/schedules/${fixture.scheduleId}/seats`)).json()) as {
      version: number;
      seats: { id: string; status: string }[];
    };

  async function socketWatcher(url: string, start: Map<string, string>): Promise<Watcher> {
    const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
    const w: Watcher = { map: new Map(start), version: 0, gaps: 0, close: () => socket.disconnect() };
    socket.on('seats:changed', (e: { fromVersion: number; version: number; changes: Change[] }) => applyTo(w, e));
    const ack = (await socket.emitWithAck('schedule:join', fixture.scheduleId)) as { ok: boolean; version: number };
    expect(ack).toEqual({ ok: true, version: 0 });
    return w;
  }

  function feedWatcher(url: string): Promise<Watcher> {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/api/schedules/${fixture.scheduleId}/live?snapshot=full`);
    const w: Watcher = { map: new Map(), version: -1, gaps: 0, close: () => ws.close() };
    return new Promise((resolve, reject) => {
      ws.on('error', reject);
      ws.on('message', (data) => {
        const message = JSON.parse(String(data));
        if (message.type === 'snapshot') {
          for (const seat of message.seats as Change[]) w.map.set(seat.seatId, seat.status);
          w.version = message.version;
          resolve(w);
        } else applyTo(w, message);
      });
    });
  }

  it('every watcher sees contiguous versions and ends with the server’s map', async () => {
    const { urls } = cluster;
    const start = await seatMap(urls[0]!);
    expect(start.version).toBe(0);
    const startMap = new Map(start.seats.map((s) => [s.id, s.status]));
    for (const url of urls) {
      for (let i = 0; i < SOCKETS_PER_NODE; i++) watchers.push(await socketWatcher(url, startMap));
      for (let i = 0; i < FEEDS_PER_NODE; i++) watchers.push(await feedWatcher(url));
    }
    expect(watchers).toHaveLength(45);

    // 400 buyers at once, each on its own node: hold a random seat, then book it (half) or give it back, on another.
    const seatIds = start.seats.map((s) => s.id);
    const outcomes = await Promise.all(
      Array.from({ length: BUYERS }, async (_, i) => {
        const url = (k: number) => urls[(i + k) % NODES]!;
        const res = await fetch(`${url(0)}/api/schedules/${fixture.scheduleId}/holds`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ seatIds: [seatIds[randomInt(seatIds.length)]] }),
        });
        if (res.status !== 201) return res.status;
        const { holdId } = (await res.json()) as { holdId: string };
        if (i % 2 === 0) {
          const booked = await fetch(`${url(1)}/api/reservations`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ holdId, customer: { name: `buyer ${i}`, phone: '010-1234-5678' } }),
          });
          return booked.status;
        }
        return (await fetch(`${url(2)}/api/holds/${holdId}`, { method: 'DELETE' })).status;
      }),
    );
    // Contention is the point: some holds lose (409), the rest book (201) or release (204).
    expect(outcomes.filter((s) => s === 201).length).toBeGreaterThan(20);
    expect(outcomes.filter((s) => s === 204).length).toBeGreaterThan(20);
    expect(outcomes.every((s) => [201, 204, 409].includes(s))).toBe(true);

    const end = await seatMap(urls[1]!);
    expect(end.version).toBeGreaterThan(50);
    // Every watcher reaches the end version (the bound only keeps a lost event from hanging the run).
    for (let waited = 0; watchers.some((w) => w.version < end.version) && waited < 60_000; waited += 20) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(watchers.map((w) => w.gaps)).toEqual(watchers.map(() => 0));
    expect(watchers.map((w) => w.version)).toEqual(watchers.map(() => end.version));
    const expected = new Map(end.seats.map((s) => [s.id, s.status]));
    for (const w of watchers) expect(w.map).toEqual(expected);
  }, 120_000);
});
