/**
 * Child process of scripts/bench-fanout.ts: opens watchers (plain feed, Socket.IO or bare `ws`) on one schedule,
 * records when each `seats:changed` arrives and which versions it brings, and on request turns that into a lag
 * histogram against the times the parent says each version was caused. Talks to the parent over IPC only.
 */
import { io, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';

type Kind = 'feed' | 'socketio' | 'bare';

interface OpenRequest {
  type: 'open';
  kind: Kind;
  urls: string[];
  count: number;
  scheduleId: string;
  /** Connections opening at once in this process. */
  inFlight: number;
  /** Epoch ms after which no further connection is started. */
  deadline: number;
}

/** Lag histogram: 0.5 ms buckets up to 120 s (the parent reads it with the same bucket width). */
const BUCKET_MS = 0.5;
const BUCKETS = 240_000;

const now = () => performance.timeOrigin + performance.now();
const send = (message: unknown) => process.send?.(message);

interface Group {
  ready: number;
  failed: number;
  snapshotBytes: number;
  /** Per watcher: last version received (NaN before its snapshot / join ack). */
  last: number[];
  gaps: number;
  /** Per message with something new: arrival time, first new version − 1, last version. */
  records: number[];
  closers: (() => void)[];
}

const groups = new Map<Kind, Group>();

function onEvent(group: Group, i: number, fromVersion: number, version: number) {
  const last = group.last[i]!;
  if (Number.isNaN(last)) return; // before the snapshot or ack: the watcher would buffer it; not counted
  if (version <= last) return;
  if (fromVersion !== last) group.gaps++;
  group.records.push(now(), Math.max(fromVersion, last), version);
  group.last[i] = version;
}

function openFeed(group: Group, i: number, url: string, scheduleId: string): Promise<void> {
  const path = `/api/schedules/${scheduleId}/live`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}${path}`, { perMessageDeflate: false });
    let first = true;
    ws.on('message', (data: Buffer) => {
      if (first) {
        // The snapshot: only its size and version matter here (parsing 3.5 MB snapshots would load this process).
        first = false;
        group.snapshotBytes = data.length;
        const head = data.subarray(0, 200).toString();
        group.last[i] = Number(/"version":(\d+)/.exec(head)?.[1] ?? Number.NaN);
        resolve();
        return;
      }
      const e = JSON.parse(String(data)) as { fromVersion: number; version: number };
      onEvent(group, i, e.fromVersion, e.version);
    });
    ws.once('error', reject);
    ws.once('close', () => reject(new Error('closed before the snapshot')));
    group.closers.push(() => ws.terminate());
  });
}

function openBare(group: Group, i: number, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws'), { perMessageDeflate: false });
    ws.on('message', (data: Buffer) => {
      const e = JSON.parse(String(data)) as { fromVersion: number; version: number };
      onEvent(group, i, e.fromVersion, e.version);
    });
    ws.once('open', () => {
      group.last[i] = 0;
      resolve();
    });
    ws.once('error', reject);
    group.closers.push(() => ws.terminate());
  });
}

function openSocketIo(group: Group, i: number, url: string, scheduleId: string): Promise<void> {
  const socket: Socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 60_000 });
  group.closers.push(() => socket.disconnect());
  socket.on('seats:changed', (e: { fromVersion: number; version: number }) =>
    onEvent(group, i, e.fromVersion, e.version),
  );
  return new Promise((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.once('connect', () => {
      socket
        .timeout(60_000)
        .emit('schedule:join', scheduleId, (err: unknown, ack: { ok: boolean; version?: number }) => {
          if (err || !ack?.ok) return reject(err ?? new Error('join refused'));
          group.last[i] = ack.version ?? 0;
          resolve();
        });
    });
  });
}

async function open(request: OpenRequest) {
  const group: Group = {
    ready: 0,
    failed: 0,
    snapshotBytes: 0,
    last: new Array(request.count).fill(Number.NaN),
    gaps: 0,
    records: [],
    closers: [],
  };
  groups.set(request.kind, group);
  let next = 0;
  const lane = async () => {
    while (next < request.count && Date.now() < request.deadline) {
      const i = next++;
      const url = request.urls[i % request.urls.length]!;
      const opening =
        request.kind === 'feed'
          ? openFeed(group, i, url, request.scheduleId)
          : request.kind === 'bare'
            ? openBare(group, i, url)
            : openSocketIo(group, i, url, request.scheduleId);
      // Whatever is still connecting at the deadline counts as failed.
      const timedOut = new Promise<never>((_, reject) => {
        setTimeout(() => reject(new Error('deadline')), Math.max(0, request.deadline - Date.now())).unref();
      });
      await Promise.race([opening, timedOut]).then(
        () => group.ready++,
        () => group.failed++,
      );
    }
  };
  await Promise.all(Array.from({ length: request.inFlight }, lane));
  group.failed += request.count - next;
  send({ type: 'opened', kind: request.kind, ready: group.ready, failed: group.failed, bytes: group.snapshotBytes });
}

function report(kind: Kind, times: number[], from: number, to: number) {
  const group = groups.get(kind);
  const histogram = new Uint32Array(BUCKETS + 1);
  let delivered = 0;
  let timed = 0;
  if (group) {
    const { records } = group;
    for (let r = 0; r < records.length; r += 3) {
      const at = records[r]!;
      for (let v = Math.max(records[r + 1]!, from) + 1; v <= Math.min(records[r + 2]!, to); v++) {
        delivered++;
        const caused = times[v];
        if (caused === undefined || caused === null || Number.isNaN(caused)) continue;
        timed++;
        histogram[Math.min(BUCKETS, Math.max(0, Math.floor((at - caused) / BUCKET_MS)))]!++;
      }
    }
  }
  const sparse: [number, number][] = [];
  histogram.forEach((n, bucket) => {
    if (n > 0) sparse.push([bucket, n]);
  });
  const watchers = group ? group.last.filter((v) => !Number.isNaN(v)).length : 0;
  send({ type: 'report', kind, watchers, delivered, timed, gaps: group?.gaps ?? 0, histogram: sparse });
}

process.on('message', (message: { type: string } & Record<string, unknown>) => {
  switch (message.type) {
    case 'open':
      void open(message as unknown as OpenRequest).catch((err: unknown) =>
        send({ type: 'error', message: String(err) }),
      );
      break;
    case 'progress': {
      const target = message.target as number;
      const group = groups.get(message.kind as Kind);
      send({ type: 'progress', reached: group ? group.last.filter((v) => v >= target).length : 0 });
      break;
    }
    case 'report':
      report(message.kind as Kind, message.times as number[], message.from as number, message.to as number);
      break;
    case 'close': {
      for (const group of groups.values()) for (const close of group.closers) close();
      groups.clear();
      send({ type: 'closed' });
      break;
    }
    case 'exit':
      process.exit(0);
  }
});
send({ type: 'started' });
