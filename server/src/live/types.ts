import type { ErrorCode, SeatChange } from '@seatmap/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import type { EventBus } from './event-bus.ts';

/** A schedule's public seat statuses at one version (the plain WebSocket feed's first message). */
export interface LiveSnapshot {
  version: number;
  seats: SeatChange[];
}

/**
 * What the live layer needs to know about schedules; the app provides it (database + hold store).
 * `version` and `snapshot` must read the same per-schedule version the hold store advances.
 */
export interface LiveDirectory {
  scheduleExists(scheduleId: string): Promise<boolean>;
  version(scheduleId: string): Promise<number>;
  /** Null when the schedule does not exist. */
  snapshot(scheduleId: string): Promise<LiveSnapshot | null>;
  /** SPEC §10: null when this handshake's `auth` may watch the schedule, else the refusal's code. */
  admit?(scheduleId: string, auth: unknown): Promise<ErrorCode | null>;
}

export type LiveLogger = Pick<FastifyBaseLogger, 'debug' | 'info' | 'warn' | 'error'>;

/**
 * Dependencies of `registerLive`.
 * - `bus`: the event bus the services publish to after commit (Redis across nodes, memory when embedded).
 * - `directory`: schedule existence, version and snapshot.
 * - `redis`: when given, Socket.IO uses `@socket.io/redis-adapter` on two duplicates of it (closed on app close);
 *   the connection itself stays the caller's.
 */
export interface LiveDeps {
  config: Config;
  bus: EventBus;
  directory: LiveDirectory;
  redis?: Redis;
}

/** Counters for /metrics. */
export interface LiveCounters {
  /** Socket.IO connections on this node. */
  sockets: number;
  /** Schedule rooms with at least one socket on this node. */
  rooms: number;
  /** Plain WebSocket feed connections on this node. */
  feeds: number;
}
