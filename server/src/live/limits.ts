import type { IncomingMessage } from 'node:http';
import type { Config } from '../config.ts';
import { clientAddress, clientKey, proxyTrust } from '../limits/client-address.ts';

/** Per-client limits of the live layer (SPEC §9). MAX_CONNECTIONS_PER_IP comes from the config. */

/** A socket whose unsent data passes this is not reading, and is dropped ("before its buffer passes a few MB"). */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** Events a client may send per socket (joins, leaves, watches): this many per second on average… */
export const CLIENT_EVENTS_PER_SECOND = 10;
/** …in bursts of this many (a page that joins a few performances at once). */
export const CLIENT_EVENTS_BURST = 30;

/** What the limits turned away since start (for /metrics). */
export interface LiveTotals {
  refused: number;
  slowDropped: number;
  rateLimited: number;
  resumed: number;
}

/**
 * The address a live connection counts under: the client's address by the rule Fastify's `request.ip` uses under
 * TRUST_PROXY (limits/client-address.ts — a Socket.IO handshake never passes through Fastify), IPv6 by its /64.
 */
export function clientKeyOf(config: Pick<Config, 'TRUST_PROXY'>): (req: IncomingMessage) => string {
  const trust = proxyTrust(config);
  return (req) => clientKey(clientAddress(req, trust));
}

/** Live connections (Socket.IO and plain feed) per client address on this node. */
export interface ConnectionLimiter {
  /** Takes a slot for `address`, or null when it has `max` already. The release runs once, however often called. */
  acquire(address: string): (() => void) | null;
  count(address: string): number;
}

export function createConnectionLimiter(max: number): ConnectionLimiter {
  const counts = new Map<string, number>();
  return {
    acquire(address) {
      const count = counts.get(address) ?? 0;
      if (count >= max) return null;
      counts.set(address, count + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (counts.get(address) ?? 1) - 1;
        if (left > 0) counts.set(address, left);
        else counts.delete(address);
      };
    },
    count: (address) => counts.get(address) ?? 0,
  };
}

/** A token bucket per socket: `perSecond` events on average, bursts of `burst`. */
export function createEventBudget(perSecond: number, burst: number, now: () => number = Date.now) {
  let tokens = burst;
  let at = now();
  return {
    /** Whether one more event may be handled now. */
    take(): boolean {
      const t = now();
      tokens = Math.min(burst, tokens + ((t - at) / 1000) * perSecond);
      at = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
