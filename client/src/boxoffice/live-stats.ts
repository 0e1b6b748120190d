import {
  type BoxOfficeClientToServerEvents,
  type BoxOfficeServerToClientEvents,
  joinAckSchema,
  type Stats,
  statsSchema,
} from '@seatmap/shared';
import { io, type Socket } from 'socket.io-client';

export interface LiveStatsHandlers {
  onStats(stats: Stats): void;
  onConnection(connected: boolean): void;
  /** The handshake was refused (UNAUTHORIZED / FORBIDDEN): the token is wrong, retrying will not help. */
  onRefused(code: string): void;
}

/**
 * Watches one performance's stats on `/boxoffice`, re-watching after every reconnect (the server sends the
 * current stats on each watch, so nothing is missed while away). Returns a function that stops.
 */
export function watchStats(token: string, scheduleId: string, handlers: LiveStatsHandlers): () => void {
  const socket: Socket<BoxOfficeServerToClientEvents, BoxOfficeClientToServerEvents> = io('/boxoffice', {
    // WebSocket only: behind a plain load balancer there are no sticky sessions for long-polling.
    transports: ['websocket'],
    auth: { token },
    forceNew: true,
  });
  let stopped = false;

  const watch = () => {
    // Untyped here: with a timeout the ack gets (err, response), which the shared event map cannot express.
    (socket as Socket).timeout(5000).emit('stats:watch', scheduleId, (err: unknown, raw: unknown) => {
      const ack = err ? null : joinAckSchema.safeParse(raw);
      if (!stopped && (!ack?.success || !ack.data.ok)) setTimeout(() => !stopped && socket.connected && watch(), 2000);
    });
  };
  socket.on('connect', () => {
    handlers.onConnection(true);
    watch();
  });
  socket.on('disconnect', () => handlers.onConnection(false));
  socket.on('connect_error', (err) => {
    handlers.onConnection(false);
    if (err.message === 'UNAUTHORIZED' || err.message === 'FORBIDDEN') {
      socket.disconnect();
      handlers.onRefused(err.message);
    }
  });
  socket.on('stats', (raw) => {
    const parsed = statsSchema.safeParse(raw);
    if (parsed.success && parsed.data.scheduleId === scheduleId) handlers.onStats(parsed.data);
  });

  return () => {
    stopped = true;
    socket.disconnect();
  };
}
