import { type ErrorCode, type JoinAck, uuid } from '@seatmap/shared';
import type { Socket } from 'socket.io';
import { CLIENT_EVENTS_BURST, CLIENT_EVENTS_PER_SECOND, createEventBudget, type LiveTotals } from './limits.ts';
import type { LiveLogger } from './types.ts';

export interface RoomHandlerOptions<S extends Socket> {
  /** Client events that join and leave one performance's room, e.g. `schedule:join` / `schedule:leave`. */
  joinEvent: string;
  leaveEvent: string;
  room: (scheduleId: string) => string;
  /** Rooms one socket may be in at once. */
  maxRooms: number;
  /** Names the feature in error messages ("live seat map temporarily unavailable"). */
  what: string;
  exists(scheduleId: string): Promise<boolean>;
  /** Null when this socket may watch the performance, else the refusal's code (e.g. ADMISSION_REQUIRED). */
  admit?: (socket: S, scheduleId: string) => Promise<ErrorCode | null>;
  /** Keeps this node subscribed to the performance's events while the socket is in its room (LiveStream.retain). */
  retain(scheduleId: string): Promise<() => void>;
  /** Runs once the socket is in the room and subscribed; its result is the ack (read the version here, not before). */
  joined(socket: S, scheduleId: string): Promise<{ version: number }>;
  logger: LiveLogger;
  totals: LiveTotals;
}

export function failure(code: ErrorCode, message: string): JoinAck {
  return { ok: false, error: { code, message } };
}

/**
 * One handler for "watch a performance" on any namespace (`schedule:join` on `/`, `stats:watch` on `/boxoffice`):
 * validates the id, limits rooms per socket and events per second, checks the performance exists (and that this
 * socket may watch it), subscribes this
 * node (before the version is read, so no change between the two is missed), joins the room and acks
 * `{ok:true,version}` or `{ok:false,error}`. Leaving, or disconnecting, releases the subscription.
 * Returns the namespace's connection handler.
 */
export function createRoomHandlers<S extends Socket>(options: RoomHandlerOptions<S>): (socket: S) => void {
  const { logger, totals } = options;

  return (socket) => {
    const releases = new Map<string, () => void>();
    const budget = createEventBudget(CLIENT_EVENTS_PER_SECOND, CLIENT_EVENTS_BURST);
    socket.use((packet, next) => {
      if (budget.take()) return next();
      totals.rateLimited++;
      const ack = packet.at(-1);
      if (typeof ack === 'function') ack(failure('RATE_LIMITED', 'Too many events on this connection; slow down'));
    });

    const leave = (scheduleId: string) => {
      void socket.leave(options.room(scheduleId));
      releases.get(scheduleId)?.();
      releases.delete(scheduleId);
    };

    const join = async (raw: unknown, ack: unknown) => {
      // A client that sends no callback still joins; it simply gets no answer.
      const reply = typeof ack === 'function' ? (ack as (res: JoinAck) => void) : () => {};
      const parsed = uuid.safeParse(raw);
      if (!parsed.success) return reply(failure('VALIDATION_FAILED', 'scheduleId must be a UUID'));
      const scheduleId = parsed.data;
      if (!releases.has(scheduleId) && releases.size >= options.maxRooms) {
        return reply(failure('VALIDATION_FAILED', `at most ${options.maxRooms} performances per connection`));
      }
      try {
        if (!(await options.exists(scheduleId))) return reply(failure('SCHEDULE_NOT_FOUND', 'schedule not found'));
        const refused = await options.admit?.(socket, scheduleId);
        if (refused) return reply(failure(refused, 'this performance needs an admission from its waiting room'));
        if (!releases.has(scheduleId)) {
          const release = await options.retain(scheduleId);
          // Joined twice at once, or gone meanwhile: keep one subscription per socket and room, or none.
          if (releases.has(scheduleId) || socket.disconnected) release();
          else releases.set(scheduleId, release);
        }
        await socket.join(options.room(scheduleId));
        reply({ ok: true, ...(await options.joined(socket, scheduleId)) });
      } catch (err) {
        logger.error({ err, scheduleId }, `${options.joinEvent} failed`);
        leave(scheduleId);
        reply(failure('SERVICE_UNAVAILABLE', `${options.what} temporarily unavailable`));
      }
    };

    socket.on(options.joinEvent as never, ((scheduleId: unknown, ack: unknown) => void join(scheduleId, ack)) as never);
    socket.on(
      options.leaveEvent as never,
      ((scheduleId: unknown) => {
        const parsed = uuid.safeParse(scheduleId);
        if (parsed.success) leave(parsed.data);
      }) as never,
    );
    socket.on('disconnect', () => {
      for (const release of releases.values()) release();
      releases.clear();
    });
  };
}
