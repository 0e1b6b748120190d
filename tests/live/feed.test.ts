import { randomUUID } from 'node:crypto';
import { liveMessageSchema } from '@seatmap/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBus } from '../../server/src/live/event-bus.ts';
import { createMemoryEventBus } from '../../server/src/live/memory-event-bus.ts';
import { FakeDirectory, feedClient, seatChange, startNode, type TestNode, waitFor } from './support.ts';

describe('plain WebSocket feed', () => {
  const directory = new FakeDirectory();
  let bus: EventBus;
  let node: TestNode;

  beforeAll(async () => {
    bus = createMemoryEventBus();
    node = await startNode({ bus, directory, config: { CORS_ORIGINS: 'https://tickets.example,https://box.example' } });
  });
  afterAll(async () => {
    await node.app.close();
    await bus.close();
  });

  it('sends the snapshot first, then coalesced seats:changed messages', async () => {
    const { scheduleId, seatIds } = directory.addSchedule(4);
    directory.change(scheduleId, [seatChange(seatIds[0]!, 'reserved')]);
    const feed = feedClient(node.url, scheduleId);
    await waitFor(() => feed.messages.length === 1, 2000, 'snapshot');
    const snapshot = liveMessageSchema.parse(feed.messages[0]);
    expect(snapshot).toMatchObject({ type: 'snapshot', version: 1 });
    expect(snapshot.type === 'snapshot' && snapshot.seats).toHaveLength(4);
    expect(snapshot.type === 'snapshot' && snapshot.seats.find((s) => s.seatId === seatIds[0])?.status).toBe(
      'reserved',
    );
    expect(node.live.counters().feeds).toBe(1);

    await bus.publish(directory.change(scheduleId, [seatChange(seatIds[1]!)]));
    await bus.publish(directory.change(scheduleId, [seatChange(seatIds[2]!)]));
    await waitFor(() => feed.messages.length >= 2, 2000, 'change');
    await new Promise((r) => setTimeout(r, 60));
    expect(feed.messages.slice(1).map((m) => liveMessageSchema.parse(m))).toEqual([
      {
        type: 'seats:changed',
        scheduleId,
        fromVersion: 1,
        version: 3,
        changes: [seatChange(seatIds[1]!), seatChange(seatIds[2]!)],
      },
    ]);
    feed.ws.close();
    await feed.closed;
    await waitFor(() => node.live.counters().feeds === 0, 2000, 'feed count back to 0');
  });

  it('loses nothing published between subscribing and sending an older snapshot', async () => {
    const { scheduleId, seatIds } = directory.addSchedule(4);
    directory.afterSnapshot = async () => {
      directory.afterSnapshot = undefined;
      // The snapshot was read at version 0; these land after it but before it is sent.
      await bus.publish(directory.change(scheduleId, [seatChange(seatIds[0]!)]));
      await bus.publish(directory.change(scheduleId, [seatChange(seatIds[1]!)]));
      await new Promise((r) => setTimeout(r, 60));
    };
    const feed = feedClient(node.url, scheduleId);
    await waitFor(() => feed.messages.length === 2, 2000, 'snapshot + buffered change');
    expect(feed.messages[0]).toMatchObject({ type: 'snapshot', version: 0 });
    expect(feed.messages[1]).toEqual({
      type: 'seats:changed',
      scheduleId,
      fromVersion: 0,
      version: 2,
      changes: [seatChange(seatIds[0]!), seatChange(seatIds[1]!)],
    });
    feed.ws.close();
  });

  it('never follows the snapshot with changes it already contains', async () => {
    const { scheduleId, seatIds } = directory.addSchedule(4);
    directory.beforeSnapshot = async () => {
      directory.beforeSnapshot = undefined;
      // Subscribed already: this reaches the feed's buffer, and the snapshot read next includes it.
      await bus.publish(directory.change(scheduleId, [seatChange(seatIds[0]!)]));
      await new Promise((r) => setTimeout(r, 60));
    };
    const feed = feedClient(node.url, scheduleId);
    await waitFor(() => feed.messages.length === 1, 2000, 'snapshot');
    expect(feed.messages[0]).toMatchObject({ type: 'snapshot', version: 1 });
    // A change arriving late from the bus (published before the snapshot was read) is dropped live too.
    await bus.publish({ scheduleId, fromVersion: 0, version: 1, changes: [seatChange(seatIds[0]!)] });
    await bus.publish(directory.change(scheduleId, [seatChange(seatIds[1]!)]));
    await waitFor(() => feed.messages.length === 2, 2000, 'next change');
    await new Promise((r) => setTimeout(r, 60));
    expect(feed.messages.slice(1)).toEqual([
      { type: 'seats:changed', scheduleId, fromVersion: 1, version: 2, changes: [seatChange(seatIds[1]!)] },
    ]);
    feed.ws.close();
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
    const status = await new Promise<number | undefined>((resolve) =>
      foreign.ws.on('unexpected-response', (_req, res) => resolve(res.statusCode)),
    );
    expect(status).toBe(403);
    const allowed = feedClient(node.url, scheduleId, { origin: 'https://box.example' });
    await waitFor(() => allowed.messages.length === 1, 2000, 'snapshot for allowed origin');
    allowed.ws.close();
  });
});
