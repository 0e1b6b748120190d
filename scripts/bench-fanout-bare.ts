/**
 * Child process of scripts/bench-fanout.ts: the baseline. A bare `ws` server that replays the run's change timeline
 * (each version at the moment its change was made, relative to a start time the parent gives), batches it with the
 * server's coalescer (same window, same spacing after a costly fan-out), and sends each batch — serialised once, to
 * one Buffer — to every connected client. No database, no Redis, no Socket.IO, no per-socket logic. Not meant to be run by hand.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SeatStatus } from '@seatmap/shared';
import { WebSocketServer } from 'ws';
import { createCoalescer } from '../server/src/live/coalescer.ts';

interface Replay {
  type: 'replay';
  scheduleId: string;
  /** Epoch ms at which offset 0 falls. */
  t0: number;
  windowMs: number;
  /** Version v (1-based) is timeline[v - 1]: [offset ms, seatId, status]. */
  timeline: [number, string, SeatStatus][];
}

const now = () => performance.timeOrigin + performance.now();
const server = createServer();
const wss = new WebSocketServer({ server, perMessageDeflate: false });
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
process.send?.({ type: 'ready', port: (server.address() as AddressInfo).port });

function replay({ scheduleId, t0, windowMs, timeline }: Replay) {
  let next = 0;
  // The server's own coalescer: the same window, the same spacing after a costly fan-out, the same merged events.
  const coalescer = createCoalescer({
    windowMs,
    emit(event) {
      const data = Buffer.from(JSON.stringify({ type: 'seats:changed', ...event }));
      for (const client of wss.clients) client.send(data, { binary: false });
      if (event.version === timeline.length) process.send?.({ type: 'replayed' });
    },
  });
  const tick = () => {
    while (next < timeline.length && t0 + timeline[next]![0] <= now()) {
      const [, seatId, status] = timeline[next++]!;
      coalescer.push({ scheduleId, fromVersion: next - 1, version: next, changes: [{ seatId, status }] });
    }
    if (next < timeline.length) setTimeout(tick, Math.max(0, Math.min(5, t0 + timeline[next]![0] - now())));
  };
  tick();
}

process.on('message', (message: { type: string }) => {
  if (message.type === 'replay') replay(message as Replay);
  if (message.type === 'stats') {
    const { rss, heapUsed } = process.memoryUsage();
    const { user, system } = process.cpuUsage();
    process.send?.({ type: 'stats', rss, heapUsed, cpuMs: (user + system) / 1000 });
  }
  if (message.type === 'close') {
    for (const client of wss.clients) client.terminate();
    wss.close();
    server.close(() => process.exit(0));
  }
});
