import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../../tests/support/wait.ts';
import type { PublishedSeatEvent } from '../holds/seat-event.ts';
import type { EventBus, SeatEventListener } from '../live/event-bus.ts';
import { type Broadcast, createLiveStream } from '../live/live-stream.ts';
import { createMemoryEventBus } from '../live/memory-event-bus.ts';
import { createFanoutMetrics } from './fanout.ts';

const scheduleId = randomUUID();
const seatId = randomUUID();

/** A bus whose events come in as the tests say (with or without a publish time). */
function handBus() {
  const listeners = new Set<SeatEventListener>();
  const bus: EventBus = {
    kind: 'redis',
    subscribe: async (_id, listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    lastVersions: () => new Map(),
    close: async () => {},
  };
  const deliver = (event: PublishedSeatEvent) => {
    for (const listener of listeners) listener(event);
  };
  return { bus, deliver };
}

function recorder() {
  const lags: number[] = [];
  const count = { events: 0, broadcasts: 0 };
  const metrics = {
    liveEvents: { inc: () => count.events++ },
    broadcasts: { inc: () => count.broadcasts++ },
    broadcastChanges: { observe: () => {} },
    fanoutLag: { observe: (seconds: number) => lags.push(seconds) },
  } as unknown as Parameters<typeof createFanoutMetrics>[1];
  return { metrics, lags, count };
}

async function watched(bus: EventBus, metrics: Parameters<typeof createFanoutMetrics>[1]) {
  const fanout = createFanoutMetrics(bus, metrics);
  const stream = createLiveStream({
    bus: fanout.bus,
    directory: { version: async () => 0, seatIndex: async () => new Map([[seatId, 7]]) },
    windowMs: 0,
  });
  const broadcasts: Broadcast[] = [];
  fanout.watch(stream);
  stream.onAny((b) => broadcasts.push(b));
  await stream.retain(scheduleId);
  return { stream, broadcasts };
}

describe('fan-out metrics', () => {
  it('measure the lag from the publish time the event carries, not from its arrival', async () => {
    const { bus, deliver } = handBus();
    const { metrics, lags } = recorder();
    const { stream, broadcasts } = await watched(bus, metrics);
    // Published 400 ms before it reached this node (a slow Redis hop): the lag includes those 400 ms.
    deliver({
      scheduleId,
      fromVersion: 0,
      version: 1,
      changes: [{ seatId, status: 'held' }],
      publishedAt: Date.now() - 400,
    });
    await waitFor(() => broadcasts.length === 1, 20_000, 'the broadcast');
    expect(lags).toHaveLength(1);
    expect(lags[0]).toBeGreaterThanOrEqual(0.4);
    stream.close();
  });

  it('keep the publish time out of everything sent to clients', async () => {
    const { bus, deliver } = handBus();
    const { metrics } = recorder();
    const { stream, broadcasts } = await watched(bus, metrics);
    deliver({ scheduleId, fromVersion: 0, version: 1, changes: [{ seatId, status: 'held' }], publishedAt: Date.now() });
    await waitFor(() => broadcasts.length === 1, 20_000, 'the broadcast');
    const wire = { scheduleId, fromVersion: 0, version: 1, changes: [{ seatId, index: 7, status: 'held' }] };
    expect(broadcasts[0]!.event).toStrictEqual(wire);
    expect(JSON.parse(broadcasts[0]!.feedMessage().toString())).toStrictEqual({ type: 'seats:changed', ...wire });
    stream.close();
  });

  it('the memory bus stamps each event with its publish time', async () => {
    const bus = createMemoryEventBus();
    const got: PublishedSeatEvent[] = [];
    await bus.subscribe(scheduleId, (event) => got.push(event));
    const before = Date.now();
    bus.publish({ scheduleId, fromVersion: 0, version: 1, changes: [{ seatId, status: 'held' }] });
    await waitFor(() => got.length === 1, 20_000, 'the delivered event');
    expect(got[0]!.publishedAt).toBeGreaterThanOrEqual(before);
    expect(got[0]!.publishedAt).toBeLessThanOrEqual(Date.now());
    const { metrics, lags, count } = recorder();
    const { stream, broadcasts } = await watched(bus, metrics);
    bus.publish({ scheduleId, fromVersion: 1, version: 2, changes: [{ seatId, status: 'available' }] });
    await waitFor(() => broadcasts.length === 1, 20_000, 'the broadcast');
    expect(count.events).toBe(1);
    expect(lags).toHaveLength(1);
    stream.close();
    await bus.close();
  });
});
