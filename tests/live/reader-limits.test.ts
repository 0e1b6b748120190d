import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { MemoryEventBus } from '../../server/src/live/memory-event-bus.ts';
import { embedded, feedClient, startNode, type TestDirectory, type TestNode, waitFor } from './support.ts';

/** The raw TCP socket under a `ws` client, to stop reading from it. */
const rawSocket = (ws: WebSocket) => (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;

/**
 * SPEC §9 limits per socket, on the paths tests/live/feed.test.ts and gateway.test.ts do not cover: a Socket.IO
 * watcher that stops reading is dropped by its buffered bytes, and a plain-feed client that keeps sending is cut off.
 */
describe('live limits per socket', () => {
  let bus: MemoryEventBus;
  let directory: TestDirectory;
  let node: TestNode;

  beforeAll(async () => {
    ({ bus, directory } = embedded());
    node = await startNode({ bus, directory });
  });
  afterAll(async () => {
    await node.app.close();
    await bus.close();
  });

  it('drops a Socket.IO watcher that stops reading once its unsent bytes pass the limit', async () => {
    const { scheduleId, seatIds } = directory.addSchedule(20_000);
    // Engine.IO by hand over a bare WebSocket, so the client's TCP socket can be paused.
    const ws = new WebSocket(`${node.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
    const frames: string[] = [];
    ws.on('message', (data) => frames.push(String(data)));
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('error', () => {});
    await waitFor(() => frames.some((f) => f.startsWith('0{')), undefined, 'engine.io open');
    ws.send('40');
    await waitFor(() => frames.some((f) => f.startsWith('40{')), undefined, 'namespace connect');
    ws.send(`420${JSON.stringify(['schedule:join', scheduleId])}`);
    await waitFor(() => frames.some((f) => f.startsWith('430')), undefined, 'join ack');
    expect(JSON.parse(frames.find((f) => f.startsWith('430'))!.slice(3))).toEqual([{ ok: true, version: 0 }]);
    const before = node.live.counters();
    expect(before.sockets).toBe(1);

    rawSocket(ws).pause();
    // Each hold and release of every seat is one event of 20,000 changes (~1.3 MB each); the kernel's socket
    // buffers take some MB, the rest waits on the server until the sweep sees it past the limit.
    const start = Date.now();
    while (node.live.counters().slowDroppedTotal === before.slowDroppedTotal) {
      if (Date.now() - start > 30_000) throw new Error('never dropped within 30 s');
      const holdId = await directory.hold(scheduleId, seatIds);
      await directory.store.release(holdId);
      // A turn of the event loop: the coalescer's window and the sweep are timers.
      await new Promise((r) => setImmediate(r));
    }
    await waitFor(() => node.live.counters().sockets === 0, undefined, 'the socket gone');
    expect(node.live.counters().slowDroppedTotal).toBe(before.slowDroppedTotal + 1);
    rawSocket(ws).resume();
    expect(await closed).toBe(1006); // cut off, not closed politely
  }, 60_000);

  it('closes a plain feed whose client keeps sending (1008), after its burst', async () => {
    const { scheduleId } = directory.addSchedule(2);
    const feed = feedClient(node.url, scheduleId);
    await waitFor(() => feed.messages.length === 1, undefined, 'snapshot');
    const before = node.live.counters().rateLimitedTotal;
    for (let i = 0; i < 100; i++) feed.ws.send('hello');
    expect(await feed.closed).toEqual({ code: 1008, reason: 'too many messages' });
    expect(node.live.counters().rateLimitedTotal).toBeGreaterThan(before);
  });

  it('lets a plain feed client send within its burst', async () => {
    const { scheduleId, seatIds } = directory.addSchedule(2);
    const feed = feedClient(node.url, scheduleId);
    await waitFor(() => feed.messages.length === 1, undefined, 'snapshot');
    for (let i = 0; i < 20; i++) feed.ws.send('hello');
    // Still open: the next change arrives.
    await directory.hold(scheduleId, [seatIds[0]!]);
    await waitFor(() => feed.messages.length === 2, undefined, 'the change');
    expect(feed.ws.readyState).toBe(WebSocket.OPEN);
    feed.ws.close();
    await feed.closed;
  });
});
