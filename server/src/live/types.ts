import type { ErrorCode, SnapshotForm } from '@seatmap/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { RedisClient } from '../holds/redis-client.ts';
import type { AreaBase } from './area-tracker.ts';
import type { EventBus } from './event-bus.ts';

/** The plain feed's first message, serialised once per (performance, version, form) and shared by every socket. */
export interface FeedSnapshot {
  version: number;
  bytes: Buffer;
}

/**
 * What the live layer needs to know about schedules; the app provides it (database + hold store). `version` and
 * `snapshot` read the same per-schedule version the hold store advances.
 */
export interface LiveDirectory {
  /** Cheap: answered from caches, unknown ids remembered for a while, misses batched into few queries. */
  exists(scheduleId: string): Promise<boolean>;
  version(scheduleId: string): Promise<number>;
  /** Seat id → its index in the layout's seat order; null when the schedule does not exist. */
  seatIndex(scheduleId: string): Promise<ReadonlyMap<string, number> | null>;
  /** The standing places' state now (SPEC §12), or null when the performance has no standing area. */
  areaBase?(scheduleId: string): Promise<AreaBase | null>;
  /** The feed's first message at a version no older than any event already sent; null when unknown. */
  snapshot(scheduleId: string, form: SnapshotForm): Promise<FeedSnapshot | null>;
  /** SPEC §10: null when this handshake's `auth` may watch the schedule, else the refusal's code. */
  admit?(scheduleId: string, auth: unknown): Promise<ErrorCode | null>;
}

export type LiveLogger = Pick<FastifyBaseLogger, 'debug' | 'info' | 'warn' | 'error'>;

/**
 * Dependencies of `registerLive`.
 * - `bus`: brings the hold store's events to this node (Redis across nodes, memory when embedded).
 * - `directory`: schedule existence, version, seat order and snapshots.
 * - `redis`: when given, Socket.IO uses the sharded `@socket.io/redis-adapter` on two duplicates of it (closed on app close);
 *   the connection itself stays the caller's.
 */
export interface LiveDeps {
  config: Config;
  bus: EventBus;
  directory: LiveDirectory;
  redis?: RedisClient;
}

/** Counters for /metrics, read at scrape time (gauges now; totals since start). */
export interface LiveCounters {
  /** Socket.IO connections on this node. */
  sockets: number;
  /** Schedule rooms with at least one socket on this node. */
  rooms: number;
  /** Plain WebSocket feed connections on this node. */
  feeds: number;
  /** Performances this node is subscribed to (their event channels). */
  subscriptions: number;
  /** Connections refused because their address had MAX_CONNECTIONS_PER_IP already. */
  refusedTotal: number;
  /** Connections dropped because they stopped reading (buffer over the limit). */
  slowDroppedTotal: number;
  /** Client events dropped by the per-socket rate limit. */
  rateLimitedTotal: number;
  /** Subscriptions lost with a Redis connection and restored (each one a possible gap for its watchers). */
  resumedTotal: number;
}
