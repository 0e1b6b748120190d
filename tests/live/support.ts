import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { ClientToServerEvents, SeatChange, SeatStatus, SeatsChanged, ServerToClientEvents } from '@seatmap/shared';
import Fastify, { type FastifyInstance } from 'fastify';
import { io as connect, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';
import { type Config, testConfig } from '../../server/src/config.ts';
import type { EventBus } from '../../server/src/live/event-bus.ts';
import { type Live, registerLive } from '../../server/src/live/register.ts';
import type { LiveDirectory, LiveSnapshot } from '../../server/src/live/types.ts';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Schedules in memory, shared by every node of a test cluster (as the database would be). `change` advances the
 * version by one per seat and returns the event a service would publish.
 */
export class FakeDirectory implements LiveDirectory {
  readonly schedules = new Map<string, { version: number; seats: Map<string, SeatStatus> }>();
  /** Run around the snapshot read, to let tests publish while a feed is between subscribing and sending it. */
  beforeSnapshot: (() => Promise<void>) | undefined;
  afterSnapshot: (() => Promise<void>) | undefined;

  addSchedule(seatCount = 10): { scheduleId: string; seatIds: string[] } {
    const scheduleId = randomUUID();
    const seatIds = Array.from({ length: seatCount }, () => randomUUID());
    this.schedules.set(scheduleId, { version: 0, seats: new Map(seatIds.map((id) => [id, 'available' as const])) });
    return { scheduleId, seatIds };
  }

  change(scheduleId: string, changes: SeatChange[]): SeatsChanged {
    const schedule = this.schedules.get(scheduleId);
    if (!schedule) throw new Error('unknown schedule');
    const fromVersion = schedule.version;
    for (const c of changes) schedule.seats.set(c.seatId, c.status);
    schedule.version += changes.length;
    return { scheduleId, fromVersion, version: schedule.version, changes };
  }

  async scheduleExists(scheduleId: string) {
    return this.schedules.has(scheduleId);
  }
  async version(scheduleId: string) {
    return this.schedules.get(scheduleId)?.version ?? 0;
  }
  async snapshot(scheduleId: string): Promise<LiveSnapshot | null> {
    await this.beforeSnapshot?.();
    const schedule = this.schedules.get(scheduleId);
    if (!schedule) return null;
    const snap = {
      version: schedule.version,
      seats: [...schedule.seats].map(([seatId, status]) => ({ seatId, status })),
    };
    await this.afterSnapshot?.();
    return snap;
  }
}

export interface TestNode {
  app: FastifyInstance;
  live: Live;
  url: string;
  port: number;
}

/** Fastify + the live plugin on 127.0.0.1:0, as buildApp will wire it. */
export async function startNode(options: {
  bus: EventBus;
  directory: LiveDirectory;
  config?: Partial<Config>;
  redis?: import('ioredis').Redis;
}): Promise<TestNode> {
  const config = testConfig({ BROADCAST_WINDOW_MS: 20, ...options.config });
  const app = Fastify({ logger: false });
  app.get('/api/ping', async () => ({ pong: true }));
  const live = await registerLive(app, {
    config,
    bus: options.bus,
    directory: options.directory,
    redis: options.redis,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  await options.bus.ready();
  const port = (app.server.address() as AddressInfo).port;
  return { app, live, url: `http://127.0.0.1:${port}`, port };
}

export function socketClient(
  url: string,
  options: { origin?: string; transports?: ('websocket' | 'polling')[] } = {},
): ClientSocket {
  return connect(url, {
    transports: options.transports ?? ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: options.origin ? { origin: options.origin } : undefined,
  });
}

export function connected(socket: ClientSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}

/** Collects every `seats:changed` a socket receives. */
export function collect(socket: ClientSocket): SeatsChanged[] {
  const events: SeatsChanged[] = [];
  socket.on('seats:changed', (e) => events.push(e));
  return events;
}

/** Opens the plain feed and collects its parsed messages. */
export function feedClient(url: string, scheduleId: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/api/schedules/${scheduleId}/live`, { headers });
  const messages: unknown[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  ws.on('error', () => {});
  return { ws, messages, closed };
}

export async function waitFor(check: () => boolean, timeoutMs = 2000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function seatChange(seatId: string, status: SeatStatus = 'held'): SeatChange {
  return { seatId, status };
}
