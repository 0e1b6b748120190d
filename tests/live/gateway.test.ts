import { randomUUID } from 'node:crypto';
import { joinAckSchema, liveMessageSchema, seatsChangedSchema } from '@seatmap/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemoryEventBus } from '../../server/src/live/memory-event-bus.ts';
import {
  type ClientSocket,
  collect,
  connected,
  embedded,
  feedClient,
  socketClient,
  startNode,
  type TestDirectory,
  type TestNode,
  waitFor,
} from './support.ts';

describe('Socket.IO gateway on one node', () => {
  let bus: MemoryEventBus;
  let directory: TestDirectory;
  let node: TestNode;
  const clients: ClientSocket[] = [];
  const client = (...args: Parameters<typeof socketClient>) => {
    const socket = socketClient(...args);
    clients.push(socket);
    return socket;
  };

  beforeAll(async () => {
    ({ bus, directory } = embedded());
    node = await startNode({ bus, directory, config: { CORS_ORIGINS: 'https://tickets.example' } });
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await node.app.close();
    await bus.close();
  });

  it('acks a join with the schedule version and then delivers its changes with seat indexes', async () => {
    const { scheduleId, seatIds } = directory.addSchedule();
    await directory.store.markReserved(scheduleId, [seatIds[0]!]);
    const socket = client(node.url);
    const events = collect(socket);
    const ack = await socket.emitWithAck('schedule:join', scheduleId);
    expect(joinAckSchema.parse(ack)).toEqual({ ok: true, version: 1 });

    await directory.hold(scheduleId, [seatIds[1]!]);
    await waitFor(() => events.length === 1, undefined, 'seats:changed');
    expect(seatsChangedSchema.parse(events[0])).toEqual({
      scheduleId,
      fromVersion: 1,
      version: 2,
      changes: [{ seatId: seatIds[1], index: 1, status: 'held' }],
    });
    expect(node.live.counters()).toMatchObject({ sockets: 1, rooms: 1, subscriptions: 1 });
  });

  it('answers malformed and unknown schedule ids with error acks', async () => {
    const socket = client(node.url);
    await expect(socket.emitWithAck('schedule:join', 'not-a-uuid')).resolves.toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    await expect(socket.emitWithAck('schedule:join', 42 as unknown as string)).resolves.toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    const unknown = await socket.emitWithAck('schedule:join', randomUUID());
    expect(joinAckSchema.parse(unknown)).toMatchObject({ ok: false, error: { code: 'SCHEDULE_NOT_FOUND' } });
    expect(socket.connected).toBe(true);
  });

  it('joins without an ack callback and stops delivering after schedule:leave', async () => {
    const { scheduleId, seatIds } = directory.addSchedule();
    const socket = client(node.url);
    const events = collect(socket);
    await connected(socket);
    (socket.emit as (ev: string, ...args: unknown[]) => void)('schedule:join', scheduleId);
    (socket.emit as (ev: string, ...args: unknown[]) => void)('schedule:join', scheduleId, 'not a function');
    // A second, acknowledged join of the same room orders after the two above and changes nothing.
    expect(await socket.emitWithAck('schedule:join', scheduleId)).toEqual({ ok: true, version: 0 });
    await directory.hold(scheduleId, [seatIds[0]!]);
    await waitFor(() => events.length === 1, undefined, 'event after ack-less join');

    socket.emit('schedule:leave', scheduleId);
    // A round trip on the same connection orders after the leave.
    await socket.emitWithAck('schedule:join', randomUUID());
    // Another watcher still in the room: once it has the next change, this socket would have had it too.
    const other = client(node.url);
    const otherEvents = collect(other);
    expect(await other.emitWithAck('schedule:join', scheduleId)).toMatchObject({ ok: true });
    await directory.hold(scheduleId, [seatIds[1]!]);
    await waitFor(() => otherEvents.length === 1, undefined, 'the change at the other watcher');
    expect(events).toHaveLength(1);
  });

  it('rate-limits the events a socket sends: acks beyond the burst say RATE_LIMITED', async () => {
    const { scheduleId } = directory.addSchedule();
    const socket = client(node.url);
    const acks = await Promise.all(Array.from({ length: 60 }, () => socket.emitWithAck('schedule:join', scheduleId)));
    const limited = acks.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED');
    expect(limited.length).toBeGreaterThan(0);
    expect(acks.filter((a) => a.ok).length).toBeGreaterThanOrEqual(20);
    expect(node.live.counters().rateLimitedTotal).toBeGreaterThanOrEqual(limited.length);
    expect(socket.connected).toBe(true);
  });

  it('refuses a foreign Origin and accepts the allowed one and tools without Origin', async () => {
    const foreign = client(node.url, { origin: 'https://evil.example' });
    await expect(connected(foreign)).rejects.toThrow();
    const foreignPolling = client(node.url, { origin: 'https://evil.example', transports: ['polling'] });
    await expect(connected(foreignPolling)).rejects.toThrow();

    await expect(connected(client(node.url, { origin: 'https://tickets.example' }))).resolves.toBeUndefined();
    await expect(connected(client(node.url))).resolves.toBeUndefined();
    const res = await fetch(`${node.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
  });

  it('serves Socket.IO (websocket and polling), the plain feed and HTTP routes on one port', async () => {
    const { scheduleId, seatIds } = directory.addSchedule(3);
    const ws = client(node.url, { transports: ['websocket'] });
    const polling = client(node.url, { transports: ['polling'] });
    const wsEvents = collect(ws);
    const pollingEvents = collect(polling);
    expect(await ws.emitWithAck('schedule:join', scheduleId)).toEqual({ ok: true, version: 0 });
    expect(await polling.emitWithAck('schedule:join', scheduleId)).toEqual({ ok: true, version: 0 });
    const feed = feedClient(node.url, scheduleId);
    await waitFor(() => feed.messages.length === 1, undefined, 'feed snapshot');

    await directory.store.markReserved(scheduleId, [seatIds[2]!]);
    await waitFor(
      () => wsEvents.length === 1 && pollingEvents.length === 1 && feed.messages.length === 2,
      undefined,
      'all three transports',
    );
    expect(liveMessageSchema.parse(feed.messages[1])).toEqual({ type: 'seats:changed', ...wsEvents[0] });
    expect(pollingEvents[0]).toEqual(wsEvents[0]);
    expect(await (await fetch(`${node.url}/api/ping`)).json()).toEqual({ pong: true });
    feed.ws.close();
  });
});

describe('closing a node with live connections open', () => {
  it('disconnects Socket.IO and feed clients so app.close() finishes', async () => {
    const { bus, directory } = embedded();
    const node = await startNode({ bus, directory });
    const { scheduleId } = directory.addSchedule(2);
    const ws = socketClient(node.url, { transports: ['websocket'] });
    const polling = socketClient(node.url, { transports: ['polling'] });
    expect(await ws.emitWithAck('schedule:join', scheduleId)).toMatchObject({ ok: true });
    expect(await polling.emitWithAck('schedule:join', scheduleId)).toMatchObject({ ok: true });
    const feed = feedClient(node.url, scheduleId);
    await waitFor(() => feed.messages.length === 1, undefined, 'feed snapshot');
    const disconnected = Promise.all(
      [ws, polling].map((s) => new Promise<string>((resolve) => s.once('disconnect', (reason) => resolve(reason)))),
    );

    await node.app.close();
    expect(await disconnected).toHaveLength(2);
    expect((await feed.closed).code).toBeGreaterThanOrEqual(1000);
    await bus.close();
  });
});
