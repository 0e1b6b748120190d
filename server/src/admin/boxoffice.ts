import {
  type BoxOfficeClientToServerEvents,
  type BoxOfficeServerToClientEvents,
  type ErrorCode,
  type JoinAck,
  uuid,
} from '@seatmap/shared';
import type { Namespace, Server } from 'socket.io';
import type { HoldStore } from '../holds/hold-store.ts';
import type { EventBus } from '../live/event-bus.ts';
import type { LiveLogger } from '../live/types.ts';
import type { AdminAuth } from './auth.ts';
import type { StatsService } from './stats.ts';

export const BOXOFFICE_NAMESPACE = '/boxoffice';
/** At most one `stats` per performance per this many ms on each node. */
export const STATS_INTERVAL_MS = 1000;
const MAX_WATCHES_PER_SOCKET = 20;

type BoxOfficeNamespace = Namespace<BoxOfficeClientToServerEvents, BoxOfficeServerToClientEvents>;

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
 * The `/boxoffice` namespace (SPEC §6) on the gateway's Socket.IO server. Every node hears every seat change on
 * the bus, so each node recomputes the stats of the performances its own sockets watch and emits to them locally
 * (`nsp.local`): at most once per STATS_INTERVAL_MS per performance, the first within a few ms of the change.
 */
export function registerBoxOffice(deps: {
  io: Server;
  auth: AdminAuth;
  stats: StatsService;
  bus: EventBus;
  holdStore: HoldStore;
  logger: LiveLogger;
  intervalMs?: number;
}): { close(): void } {
  const { auth, stats, logger } = deps;
  const intervalMs = deps.intervalMs ?? STATS_INTERVAL_MS;
  const nsp = deps.io.of(BOXOFFICE_NAMESPACE) as unknown as BoxOfficeNamespace;

  nsp.use((socket, next) => {
    const result = auth.check((socket.handshake.auth as { token?: unknown } | undefined)?.token);
    next(result.ok ? undefined : new HandshakeError(result.code, result.message));
  });

  nsp.on('connection', (socket) => {
    socket.on('stats:watch', (scheduleId, ack) => {
      void watch(socket, scheduleId as unknown, ack as unknown);
    });
    socket.on('stats:unwatch', (scheduleId) => {
      const parsed = uuid.safeParse(scheduleId);
      if (parsed.success) void socket.leave(statsRoom(parsed.data));
    });
  });

  async function watch(socket: Parameters<Parameters<BoxOfficeNamespace['on']>[1]>[0], raw: unknown, ack: unknown) {
    const reply = typeof ack === 'function' ? (ack as (res: JoinAck) => void) : () => {};
    const parsed = uuid.safeParse(raw);
    if (!parsed.success) return reply(failure('VALIDATION_FAILED', 'scheduleId must be a UUID'));
    const scheduleId = parsed.data;
    const room = statsRoom(scheduleId);
    const watching = [...socket.rooms].filter((r) => r.startsWith('stats:') && r !== room).length;
    if (watching >= MAX_WATCHES_PER_SOCKET) {
      return reply(failure('VALIDATION_FAILED', `at most ${MAX_WATCHES_PER_SOCKET} performances per connection`));
    }
    try {
      if (!(await stats.exists(scheduleId))) return reply(failure('SCHEDULE_NOT_FOUND', 'schedule not found'));
      // Join first: a change after this point triggers a fresh emit, so nothing between the two is missed.
      await socket.join(room);
      const current = await stats.compute(scheduleId);
      const { version } = await deps.holdStore.states(scheduleId);
      socket.emit('stats', current);
      reply({ ok: true, version });
    } catch (err) {
      logger.error({ err, scheduleId }, 'stats:watch failed');
      await socket.leave(room);
      reply(failure('SERVICE_UNAVAILABLE', 'box office stats temporarily unavailable'));
    }
  }

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

  const unsubscribe = deps.bus.subscribe((event) => changed(event.scheduleId));

  return {
    close() {
      closed = true;
      unsubscribe();
      for (const state of throttles.values()) if (state.timer) clearTimeout(state.timer);
      throttles.clear();
    },
  };
}

function failure(code: ErrorCode, message: string): JoinAck {
  return { ok: false, error: { code, message } };
}
