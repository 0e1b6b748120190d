import type { BoxOfficeClientToServerEvents, BoxOfficeServerToClientEvents, ErrorCode } from '@seatmap/shared';
import type { Namespace, Server, Socket } from 'socket.io';
import type { HoldStore } from '../holds/hold-store.ts';
import type { LiveTotals } from '../live/limits.ts';
import type { LiveStream } from '../live/live-stream.ts';
import { createRoomHandlers } from '../live/room-handlers.ts';
import type { LiveDirectory, LiveLogger } from '../live/types.ts';
import type { AdminAuth } from './auth.ts';
import type { StatsService } from './stats.ts';

export const BOXOFFICE_NAMESPACE = '/boxoffice';
/** At most one `stats` per performance per this many ms on each node. */
export const STATS_INTERVAL_MS = 1000;
const MAX_WATCHES_PER_SOCKET = 20;

type BoxOfficeNamespace = Namespace<BoxOfficeClientToServerEvents, BoxOfficeServerToClientEvents>;
type BoxOfficeSocket = Socket<BoxOfficeClientToServerEvents, BoxOfficeServerToClientEvents>;

export const statsRoom = (scheduleId: string) => `stats:${scheduleId}`;

/** The handshake refusal: `err.message` and `err.data.code` say UNAUTHORIZED or FORBIDDEN. */
class HandshakeError extends Error {
  readonly data: { code: ErrorCode; message: string };
  constructor(code: ErrorCode, message: string) {
    super(code);
    this.data = { code, message };
  }
}

/**
 * The `/boxoffice` namespace (SPEC §6) on the gateway's Socket.IO server. Every node hears the seat changes of the
 * performances its sockets watch (the live stream keeps it subscribed while they do), so each node recomputes their
 * stats and emits to its own sockets (`nsp.local`): at most once per STATS_INTERVAL_MS per performance, the first
 * within a few ms of the change.
 */
export function registerBoxOffice(deps: {
  io: Server;
  auth: AdminAuth;
  stats: StatsService;
  stream: LiveStream;
  directory: Pick<LiveDirectory, 'exists'>;
  holdStore: HoldStore;
  totals: LiveTotals;
  logger: LiveLogger;
  intervalMs?: number;
}): { close(): void } {
  const { auth, stats, logger, stream } = deps;
  const intervalMs = deps.intervalMs ?? STATS_INTERVAL_MS;
  const nsp = deps.io.of(BOXOFFICE_NAMESPACE) as unknown as BoxOfficeNamespace;

  nsp.use((socket, next) => {
    const result = auth.check((socket.handshake.auth as { token?: unknown } | undefined)?.token);
    next(result.ok ? undefined : new HandshakeError(result.code, result.message));
  });

  nsp.on(
    'connection',
    createRoomHandlers<BoxOfficeSocket>({
      joinEvent: 'stats:watch',
      leaveEvent: 'stats:unwatch',
      room: statsRoom,
      maxRooms: MAX_WATCHES_PER_SOCKET,
      what: 'box office stats',
      exists: (id) => deps.directory.exists(id),
      retain: (id) => stream.retain(id),
      // In the room already: a change from here on triggers a fresh emit, so nothing between the two is missed.
      async joined(socket, scheduleId) {
        socket.emit('stats', await stats.compute(scheduleId));
        return { version: await deps.holdStore.version(scheduleId) };
      },
      logger,
      totals: deps.totals,
    }),
  );

  // Per performance on this node: when stats last went out, the pending emit, and whether a change arrived while
  // the stats were being computed (it may be missing from them, so one more emit follows).
  interface Throttle {
    last: number;
    timer: NodeJS.Timeout | null;
    running: boolean;
    dirty: boolean;
  }
  const throttles = new Map<string, Throttle>();
  let closed = false;

  const watched = (scheduleId: string) => (nsp.adapter.rooms.get(statsRoom(scheduleId))?.size ?? 0) > 0;

  function changed(scheduleId: string) {
    if (!watched(scheduleId)) return;
    let state = throttles.get(scheduleId);
    if (!state) {
      state = { last: 0, timer: null, running: false, dirty: false };
      throttles.set(scheduleId, state);
    }
    if (state.running) state.dirty = true;
    // A pending emit reads the stats when it fires, so it includes this change.
    else if (!state.timer) schedule(scheduleId, state);
  }

  function schedule(scheduleId: string, state: Throttle) {
    const wait = Math.max(0, state.last + intervalMs - Date.now());
    state.timer = setTimeout(() => void emit(scheduleId, state), wait);
  }

  async function emit(scheduleId: string, state: Throttle) {
    state.timer = null;
    if (!watched(scheduleId)) {
      throttles.delete(scheduleId);
      return;
    }
    state.running = true;
    state.dirty = false;
    try {
      nsp.local.to(statsRoom(scheduleId)).emit('stats', await stats.compute(scheduleId));
    } catch (err) {
      logger.warn({ err, scheduleId }, 'box office stats not computed');
    } finally {
      // Measured from when the stats went out, so watchers never get two within the interval.
      state.last = Date.now();
      state.running = false;
      if (state.dirty && !closed) schedule(scheduleId, state);
    }
  }

  const unsubscribe = stream.onAny(({ event }) => changed(event.scheduleId));

  return {
    close() {
      closed = true;
      unsubscribe();
      for (const state of throttles.values()) if (state.timer) clearTimeout(state.timer);
      throttles.clear();
    },
  };
}
