import { randomUUID } from 'node:crypto';
import { liveChangeMessageSchema, liveCompactSnapshotSchema, liveFullSnapshotSchema } from '@seatmap/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemoryEventBus } from '../../server/src/live/memory-event-bus.ts';
import { embedded, feedClient, startNode, type TestDirectory, type TestNode, waitFor } from './support.ts';

describe('plain WebSocket feed', () => {
  let bus: MemoryEventBus;
  let directory: TestDirectory;
  let node: TestNode;

  beforeAll(async () => {
    ({ bus, directory } = embedded());
    node = await startNode({ bus, directory, config: { CORS_ORIGINS: 'https://tickets.example,https://box.example' } });
  });
  afterAll(async () => {
    await node.app.close();
    await bus.close();
  });

  /** Resolves once this node's stream has emitted `version` of a schedule (after every feed socket got it). */
  const emitted = (scheduleId: string, version: number) =>
    new Promise<void>((resolve) => {
      const off = node.live.stream.onSchedule(scheduleId, ({ event }) => {
        if (event.version < version) return;
        off();
        resolve();
      });
    });
  const lastVersion = (messages: unknown[]) => (messages.at(-1) as { version?: number } | undefined)?.version;

  it('sends the compact snapshot first, then seats:changed with seat indexes, versions contiguous', async () => {
    const { scheduleId, seatIds } = directory.addSchedule(4);
    await directory.store.markReserved(scheduleId, [seatIds[0]!]);
    const feed = feedClient(node.url, scheduleId);
    await waitFor(() => feed.messages.length === 1, undefined, 'snapshot');
    expect(liveCompactSnapshotSchema.strict().parse(feed.messages[0])).toEqual({
      type: 'snapshot',
      version: 1,
      layoutVersion: 'test',
      statuses: 'raaa',
      areas: [],
    });
    expect(node.live.counters().feeds).toBe(1);

    await directory.hold(scheduleId, [seatIds[1]!]);
    await directory.hold(scheduleId, [seatIds[2]!]);
    await waitFor(() => lastVersion(feed.messages) === 3, undefined, 'both changes');
    const changes = feed.messages.slice(1).map((m) => liveChangeMessageSchema.parse(m));
    let version = 1;
    for (const message of changes) {
      expect(message.fromVersion).toBe(version);
      version = message.version;
    }
    expect(changes.flatMap((m) => m.changes)).toEqual([
      { seatId: seatIds[1], index: 1, status: 'held' },
      { seatId: seatIds[2], index: 2, status: 'held' },
    ]);
    feed.ws.close();
    await feed.closed;
    await waitFor(() => node.live.counters().feeds === 0, undefined, 'feed count back to 0');
  });

  it('sends part one’s snapshot with ?snapshot=full, and refuses another form', async () => {
    const { scheduleId, seatIds } = directory.addSchedule(2);
    await directory.hold(scheduleId, [seatIds[1]!]);
    const feed = feedClient(node.url, scheduleId, {}, '?snapshot=full');
    await waitFor(() => feed.messages.length === 1, undefined, 'full snapshot');
    expect(liveFullSnapshotSchema.strict().parse(feed.messages[0])).toEqual({
      type: 'snapshot',
      version: 1,
      seats: [
        { seatId: seatIds[0], status: 'available' },
        { seatId: seatIds[1], status: 'held' },
      ],
    });
    feed.ws.close();
    await feed.closed;
    const bad = feedClient(node.url, scheduleId, {}, '?snapshot=everything');
    expect(await bad.closed).toEqual({ code: 4400, reason: 'snapshot must be compact or full' });
  });

  it('loses nothing published between subscribing and sending an older snapshot', async () => {
    const { scheduleId, seatIds } = directory.addSchedule(4);
    directory.afterSnapshot = async () => {
      directory.afterSnapshot = undefined;
      // The snapshot was read at version 0; these land after it but before it is sent.
      const done = emitted(scheduleId, 2);
      await directory.hold(scheduleId, [seatIds[0]!]);
      await directory.hold(scheduleId, [seatIds[1]!]);
      await done;
    };
    const feed = feedClient(node.url, scheduleId);
    await waitFor(() => lastVersion(feed.messages) === 2, undefined, 'snapshot + buffered changes');
    expect(feed.messages[0]).toMatchObject({ type: 'snapshot', version: 0, statuses: 'aaaa' });
    const changes = feed.messages.slice(1).map((m) => liveChangeMessageSchema.parse(m));
    expect(changes[0]!.fromVersion).toBe(0);
    expect(changes.flatMap((m) => m.changes.map((c) => c.seatId))).toEqual([seatIds[0], seatIds[1]]);
    feed.ws.close();
    await feed.closed;
  });

  it('never follows the snapshot with changes it already contains', async () => {
    const { scheduleId, seatIds } = directory.addSchedule(4);
    directory.beforeSnapshot = async () => {
      directory.beforeSnapshot = undefined;
      // Subscribed already: this reaches the feed's buffer, and the snapshot read next includes it.
      const done = emitted(scheduleId, 1);
      await directory.hold(scheduleId, [seatIds[0]!]);
      await done;
    };
    const feed = feedClient(node.url, scheduleId);
    await waitFor(() => feed.messages.length === 1, undefined, 'snapshot');
    expect(feed.messages[0]).toMatchObject({ type: 'snapshot', version: 1, statuses: 'haaa' });
    await directory.hold(scheduleId, [seatIds[1]!]);
    await waitFor(() => lastVersion(feed.messages) === 2, undefined, 'next change');
    expect(feed.messages.slice(1)).toEqual([
      {
        type: 'seats:changed',
        scheduleId,
        fromVersion: 1,
        version: 2,
        changes: [{ seatId: seatIds[1], index: 1, status: 'held' }],
      },
    ]);
    feed.ws.close();
    await feed.closed;
  });

  it('sends the same bytes to every socket: one serialisation per event per node', async () => {
    const { scheduleId, seatIds } = directory.addSchedule(2);
    const feeds = [0, 1, 2].map(() => feedClient(node.url, scheduleId));
    await waitFor(() => feeds.every((f) => f.messages.length === 1), undefined, 'three snapshots');
    const serialised: Buffer[] = [];
    const off = node.live.stream.onSchedule(scheduleId, (b) => serialised.push(b.feedMessage()));
    await directory.hold(scheduleId, [seatIds[0]!]);
    await waitFor(() => feeds.every((f) => f.messages.length === 2), undefined, 'the change on every feed');
    off();
    // Asking again gives the very same buffer: it was made once.
    expect(serialised).toHaveLength(1);
    expect(JSON.parse(String(serialised[0]))).toEqual(feeds[0]!.messages[1]);
    for (const f of feeds) f.ws.close();
    await Promise.all(feeds.map((f) => f.closed));
  });

  it('closes with 4400 for a malformed id and 4404 for an unknown schedule', async () => {
    const bad = feedClient(node.url, 'nope');
    expect(await bad.closed).toEqual({ code: 4400, reason: 'scheduleId must be a UUID' });
    const unknown = feedClient(node.url, randomUUID());
    expect(await unknown.closed).toEqual({ code: 4404, reason: 'schedule not found' });
    expect(bad.messages).toEqual([]);
    expect(unknown.messages).toEqual([]);
  });

  it('refuses a foreign Origin with 403 before upgrading, and accepts an allowed one', async () => {
    const { scheduleId } = directory.addSchedule(1);
    const foreign = feedClient(node.url, scheduleId, { origin: 'https://evil.example' });
    await expect(foreign.opened).rejects.toMatchObject({ status: 403 });
    const allowed = feedClient(node.url, scheduleId, { origin: 'https://box.example' });
    await waitFor(() => allowed.messages.length === 1, undefined, 'snapshot for allowed origin');
    allowed.ws.close();
    await allowed.closed;
  });

  it('drops a socket that stops reading once its buffer passes the limit', async () => {
    // A full snapshot of 300,000 seats is ~19 MB: more than the kernel's socket buffers take, so most of it waits
    // in the server's buffer for a reader that never reads.
    const { scheduleId } = directory.addSchedule(300_000);
    // Every earlier feed has closed: the count is this test's alone.
    await waitFor(() => node.live.counters().feeds === 0, undefined, 'no feeds open');
    const before = node.live.counters();
    const feed = feedClient(node.url, scheduleId, {}, '?snapshot=full');
    await feed.opened;
    const raw = (feed.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    raw.pause();
    await waitFor(() => node.live.counters().slowDroppedTotal === before.slowDroppedTotal + 1, 30_000, 'the drop');
    await waitFor(() => node.live.counters().feeds === before.feeds, undefined, 'the feed gone');
    raw.resume();
    expect((await feed.closed).code).toBe(1006); // cut off, not closed politely
  });
});
