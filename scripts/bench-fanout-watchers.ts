/**
 * Child process of scripts/bench-fanout.ts: opens `count` watchers (Socket.IO or bare ws) on one schedule, records when
 * each `seats:changed` arrives, and reports to the parent over IPC. Not meant to be run by hand.
 */
import { io } from 'socket.io-client';
import { WebSocket } from 'ws';

interface Start {
  mode: 'socketio' | 'ws';
  url: string;
  count: number;
  scheduleId: string;
  expectVersion: number;
}

const now = () => performance.timeOrigin + performance.now();
const send = (message: unknown) => process.send?.(message);

process.once('message', (start: Start) => {
  void run(start).catch((err: unknown) => {
    send({ type: 'error', message: String(err) });
    process.exit(1);
  });
});

async function run(start: Start) {
  // Per message: arrival time, fromVersion, version.
  const records: number[] = [];
  const reached = new Int32Array(start.count);
  let complete = 0;
  const onMessage = (i: number, from: number, version: number) => {
    records.push(now(), from, version);
    if (version > reached[i]! && version >= start.expectVersion && reached[i]! < start.expectVersion) {
      complete++;
      if (complete === start.count) send({ type: 'done' });
    }
    reached[i] = Math.max(reached[i]!, version);
  };

  const closers: (() => void)[] = [];
  const open = async (i: number) => {
    if (start.mode === 'ws') {
      const ws = new WebSocket(start.url, { perMessageDeflate: false });
      ws.on('message', (data) => {
        const e = JSON.parse(String(data)) as { fromVersion: number; version: number };
        onMessage(i, e.fromVersion, e.version);
      });
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      closers.push(() => ws.terminate());
      return;
    }
    const socket = io(start.url, { transports: ['websocket'], reconnection: false, forceNew: true });
    socket.on('seats:changed', (e: { fromVersion: number; version: number }) => onMessage(i, e.fromVersion, e.version));
    const ack = (await socket.timeout(30_000).emitWithAck('schedule:join', start.scheduleId)) as { ok: boolean };
    if (!ack.ok) throw new Error('join refused');
    closers.push(() => socket.disconnect());
  };

  const batch = 100;
  for (let i = 0; i < start.count; i += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, start.count - i) }, (_, k) => open(i + k)));
  }
  send({ type: 'ready' });

  process.on('message', (message: { type: string }) => {
    if (message.type !== 'report') return;
    for (const close of closers) close();
    // Exit only once the (possibly large) report has been handed to the parent.
    process.send?.({ type: 'report', records }, () => process.exit(0));
  });
}
