/**
 * Child process of scripts/bench-fanout.ts: opens watchers (plain feed, Socket.IO or bare `ws`) on one schedule,
 * records when each `seats:changed` arrives and which versions it brings, and on request turns that into a lag
 * histogram against the times the parent says each version was caused. Talks to the parent over IPC only.
 *
 * The tester shares the machine with the servers, so every kind costs it the same: one `ws` client per watcher,
 * versions read from the head of each message without parsing the rest, Socket.IO spoken as Engine.IO v4 frames
 * over that client (open, namespace connect, join with ack, ping/pong, events) instead of socket.io-client, whose
 * decoding would otherwise be charged to the Socket.IO rows.
 */
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

/** `…"fromVersion":N,"version":M…` near the start of a seats:changed message (feed, bare or Socket.IO frame). */
const VERSIONS = /"fromVersion":(\d+),"version":(\d+)/;

function onMessage(group: Group, i: number, data: Buffer) {
  const m = VERSIONS.exec(data.toString('latin1', 0, 160));
  if (m) onEvent(group, i, Number(m[1]), Number(m[2]));
}

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
      onMessage(group, i, data);
    });
    ws.once('error', reject);
    ws.once('close', () => reject(new Error('closed before the snapshot')));
    group.closers.push(() => ws.terminate());
  });
}

function openBare(group: Group, i: number, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws'), { perMessageDeflate: false });
    ws.on('message', (data: Buffer) => onMessage(group, i, data));
    ws.once('open', () => {
      group.last[i] = 0;
      resolve();
    });
    ws.once('error', reject);
    group.closers.push(() => ws.terminate());
  });
}

/** Engine.IO v4 over WebSocket: `0` open, `40` namespace connect, `42` event, `43` ack, `2` ping → `3` pong. */
function openSocketIo(group: Group, i: number, url: string, scheduleId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, {
      perMessageDeflate: false,
    });
    group.closers.push(() => ws.terminate());
    ws.on('message', (data: Buffer) => {
      const type = data[0];
      if (type === 0x34 /* 4: message */) {
        const kind = data[1];
        if (kind === 0x32 /* 2: event */) return onMessage(group, i, data);
        if (kind === 0x33 /* 3: ack of the join (id 1) */) {
          const [ack] = JSON.parse(data.toString('utf8', 3)) as [{ ok: boolean; version?: number }];
          if (!ack?.ok) return reject(new Error('join refused'));
          group.last[i] = ack.version ?? 0;
          return resolve();
        }
        if (kind === 0x30 /* 0: namespace connected */)
          return ws.send(`421${JSON.stringify(['schedule:join', scheduleId])}`);
        if (kind === 0x34 /* 4: connect error */) return reject(new Error(data.toString()));
        return;
      }
      if (type === 0x32 /* 2: ping */) return ws.send('3');
      if (type === 0x30 /* 0: open */) return ws.send('40');
    });
    ws.once('error', reject);
    ws.once('close', () => reject(new Error('closed before the join ack')));
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
  const messages = group ? group.records.length / 3 : 0;
  send({ type: 'report', kind, watchers, delivered, timed, messages, gaps: group?.gaps ?? 0, histogram: sparse });
}

function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
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
    case 'cpu':
      send({ type: 'cpu', cpuMs: cpuMs() });
      break;
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
