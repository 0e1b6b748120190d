import {
  type ClientToServerEvents,
  joinAckSchema,
  type SeatsChanged,
  type ServerToClientEvents,
  seatsChangedSchema,
} from '@seatmap/shared';
import { io, type Socket } from 'socket.io-client';
import { admissionTokens } from '../pages/queue-session.ts';

type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface RoomHandlers {
  onEvent(event: SeatsChanged): void;
  /** Called after every successful join with the room's version; `rejoin` is true after a reconnect. */
  onJoined(version: number, rejoin: boolean): void;
  onConnection(connected: boolean): void;
}

let socket: AppSocket | null = null;

function getSocket(): AppSocket {
  // WebSocket only: behind a plain load balancer there are no sticky sessions for long-polling.
  // The handshake carries this browser's admission tokens: `schedule:join` of a queued concert needs one (SPEC §10).
  socket ??= io({ transports: ['websocket'], auth: (cb) => cb({ admissionTokens: admissionTokens() }) });
  return socket;
}

/** After a new admission: reconnect so the handshake carries its token (rooms are joined again on connect). */
export function reconnectLive(): void {
  if (socket?.connected) socket.disconnect().connect();
}

/** Joins a performance's room (and re-joins after every reconnect). Returns a function that leaves it. */
export function joinRoom(scheduleId: string, handlers: RoomHandlers): () => void {
  const s = getSocket();
  let joinedOnce = false;
  let left = false;

  const join = () => {
    s.timeout(5000).emit('schedule:join', scheduleId, (err: unknown, raw: unknown) => {
      if (left) return;
      const ack = err ? null : joinAckSchema.safeParse(raw);
      if (!ack?.success || !ack.data.ok) {
        setTimeout(() => !left && s.connected && join(), 2000);
        return;
      }
      handlers.onJoined(ack.data.version, joinedOnce);
      joinedOnce = true;
    });
  };
  const onConnect = () => {
    handlers.onConnection(true);
    join();
  };
  const onDisconnect = () => handlers.onConnection(false);
  const onChanged = (payload: unknown) => {
    const parsed = seatsChangedSchema.safeParse(payload);
    if (parsed.success && parsed.data.scheduleId === scheduleId) handlers.onEvent(parsed.data);
  };

  s.on('connect', onConnect);
  s.on('disconnect', onDisconnect);
  s.on('seats:changed', onChanged as ServerToClientEvents['seats:changed']);
  if (s.connected) onConnect();
  else handlers.onConnection(false);

  return () => {
    left = true;
    s.off('connect', onConnect);
    s.off('disconnect', onDisconnect);
    s.off('seats:changed', onChanged as ServerToClientEvents['seats:changed']);
    if (s.connected) s.emit('schedule:leave', scheduleId);
  };
}
