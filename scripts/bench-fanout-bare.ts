/**
 * Child process of scripts/bench-fanout.ts: the baseline. A bare `ws` server that replays the run's change timeline
 * (each version at the moment its change was made, relative to a start time the parent gives), batches it for the
 * same window the server coalesces for, and sends each batch — serialised once — to every connected client. No
 * database, no Redis, no Socket.IO, no per-socket logic. Not meant to be run by hand.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

interface Replay {
  type: 'replay';
  scheduleId: string;
  /** Epoch ms at which offset 0 falls. */
  t0: number;
  windowMs: number;
  /** Version v (1-based) is timeline[v - 1]: [offset ms, seatId, status]. */
  timeline: [number, string, string][];
}

const now = () => performance.timeOrigin + performance.now();
const server = createServer();
const wss = new WebSocketServer({ server, perMessageDeflate: false });
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
process.send?.({ type: 'ready', port: (server.address() as AddressInfo).port });

function replay({ scheduleId, t0, windowMs, timeline }: Replay) {
  let next = 0;
  let sent = 0;
  let batch: { seatId: string; status: string }[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const data = JSON.stringify({
      type: 'seats:changed',
      scheduleId,
      fromVersion: sent,
      version: sent + batch.length,
      changes: batch,
    });
    sent += batch.length;
    batch = [];
    for (const client of wss.clients) client.send(data);
    if (sent === timeline.length) process.send?.({ type: 'replayed' });
  };
  const tick = () => {
    while (next < timeline.length && t0 + timeline[next]![0] <= now()) {
      const [, seatId, status] = timeline[next++]!;
      batch.push({ seatId, status });
      if (!scheduled) {
        scheduled = true;
        setTimeout(flush, windowMs);
      }
    }
    if (next < timeline.length) setTimeout(tick, Math.max(0, Math.min(5, t0 + timeline[next]![0] - now())));
  };
  tick();
}

process.on('message', (message: { type: string }) => {
  if (message.type === 'replay') replay(message as Replay);
  if (message.type === 'close') {
    for (const client of wss.clients) client.terminate();
    wss.close();
    server.close(() => process.exit(0));
  }
});
