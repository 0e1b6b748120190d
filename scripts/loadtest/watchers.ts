import {
  type ClientToServerEvents,
  joinAckSchema,
  liveMessageSchema,
  type SeatsChanged,
  type ServerToClientEvents,
  seatsChangedSchema,
} from '@seatmap/shared';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';

export type WatcherKind = 'socketio' | 'ws';

export interface WatcherStats {
  connected: number;
  failed: number;
  messages: number;
  /** Messages whose fromVersion did not follow the watcher's last version (a real client would refetch). */
  gaps: number;
  /** Messages that did not match the shared schema. */
  invalid: number;
  disconnects: number;
}

export interface WatcherPool {
  stats: WatcherStats;
  /** The lowest version any connected watcher has reached (undefined without watchers). */
  lowestVersion(): number | undefined;
  close(): void;
}

/** Each watcher validates its first few messages against the shared schema; all of them would cost the tester CPU. */
const VALIDATED_PER_WATCHER = 5;
const CONNECT_BATCH = 100;
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Opens `count` live-map viewers spread round-robin over the nodes. `onChange(index, event, receivedAt)` sees every
 * `seats:changed` in arrival order. Resolves once every watcher has joined (or failed to).
 */
export async function openWatchers(options: {
  urls: string[];
  kind: WatcherKind;
  count: number;
  scheduleId: string;
  onChange: (index: number, event: SeatsChanged, receivedAt: number) => void;
}): Promise<WatcherPool> {
  const stats: WatcherStats = { connected: 0, failed: 0, messages: 0, gaps: 0, invalid: 0, disconnects: 0 };
  const closers: (() => void)[] = [];
  const versions: (() => number | undefined)[] = [];
  const open = options.kind === 'socketio' ? openSocketIo : openWs;

  for (let first = 0; first < options.count; first += CONNECT_BATCH) {
    const batch = [];
    for (let i = first; i < Math.min(options.count, first + CONNECT_BATCH); i++) {
      const url = options.urls[i % options.urls.length]!;
      let seen = 0;
      let version: number | undefined;
      const handle = (message: unknown, receivedAt: number) => {
        stats.messages++;
        let event = message as SeatsChanged;
        if (seen++ < VALIDATED_PER_WATCHER) {
          const parsed = seatsChangedSchema.safeParse(message);
          if (!parsed.success) {
            stats.invalid++;
            return;
          }
          event = parsed.data;
        }
        if (version !== undefined && event.fromVersion !== version) stats.gaps++;
        version = event.version;
        options.onChange(i, event, receivedAt);
      };
      batch.push(
        open(url, options.scheduleId, handle, (v) => {
          version = v;
        }).then(
          (close) => {
            stats.connected++;
            closers.push(close);
            versions.push(() => version);
          },
          () => {
            stats.failed++;
          },
        ),
      );
    }
    await Promise.all(batch);
  }

  function openSocketIo(
    url: string,
    scheduleId: string,
    handle: (message: unknown, at: number) => void,
    setVersion: (v: number) => void,
  ): Promise<() => void> {
    return new Promise((resolve, reject) => {
      const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        timeout: CONNECT_TIMEOUT_MS,
      });
      const fail = (err: Error) => {
        socket.close();
        reject(err);
      };
      socket.on('connect_error', fail);
      socket.on('seats:changed', (event) => handle(event, performance.now()));
      socket.on('disconnect', (reason) => {
        if (reason !== 'io client disconnect') stats.disconnects++;
      });
      socket.on('connect', () => {
        socket.timeout(CONNECT_TIMEOUT_MS).emit('schedule:join', scheduleId, (err: Error | null, ack: unknown) => {
          const parsed = joinAckSchema.safeParse(ack);
          if (err || !parsed.success || !parsed.data.ok) return fail(err ?? new Error('schedule:join refused'));
          setVersion(parsed.data.version);
          socket.off('connect_error', fail);
          resolve(() => socket.close());
        });
      });
    });
  }

  function openWs(
    url: string,
    scheduleId: string,
    handle: (message: unknown, at: number) => void,
    setVersion: (v: number) => void,
  ): Promise<() => void> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/api/schedules/${scheduleId}/live`, {
        handshakeTimeout: CONNECT_TIMEOUT_MS,
      });
      let ready = false;
      socket.on('error', (err) => {
        if (!ready) reject(err);
      });
      socket.on('close', () => {
        if (!ready) reject(new Error('feed closed before its snapshot'));
        else if (!closing) stats.disconnects++;
      });
      let closing = false;
      socket.on('message', (data) => {
        const at = performance.now();
        const message = JSON.parse(String(data)) as { type?: string };
        if (!ready) {
          const parsed = liveMessageSchema.safeParse(message);
          if (!parsed.success || parsed.data.type !== 'snapshot') {
            stats.invalid++;
            socket.close();
            return;
          }
          ready = true;
          setVersion(parsed.data.version);
          resolve(() => {
            closing = true;
            socket.close();
          });
          return;
        }
        const { type: _type, ...event } = message;
        handle(event, at);
      });
    });
  }

  return {
    stats,
    lowestVersion() {
      let lowest: number | undefined;
      for (const v of versions) {
        const current = v();
        if (current !== undefined && (lowest === undefined || current < lowest)) lowest = current;
      }
      return lowest;
    },
    close() {
      for (const close of closers) close();
    },
  };
}
