import { EventEmitter } from 'node:events';
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Socket.IO and @fastify/websocket both listen for HTTP upgrades on the one server. @fastify/websocket routes
 * every upgrade through Fastify, which would answer 404 to Socket.IO's and then destroy the socket. So it gets
 * this relay instead of the server: it re-emits every upgrade except those under `skipPrefix`, which engine.io
 * handles (engine.io itself is told to leave other paths alone with `destroyUpgrade: false`).
 */
export function createUpgradeRelay(server: HttpServer, skipPrefix: string): { relay: EventEmitter; detach(): void } {
  const relay = new EventEmitter();
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (req.url?.startsWith(skipPrefix)) return;
    relay.emit('upgrade', req, socket, head);
  };
  server.on('upgrade', onUpgrade);
  return { relay, detach: () => server.off('upgrade', onUpgrade) };
}
