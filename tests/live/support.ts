import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { ClientToServerEvents, SeatsChanged, ServerToClientEvents, SnapshotForm } from '@seatmap/shared';
import Fastify, { type FastifyInstance } from 'fastify';
import { io as connect, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';
import type { SeatLayout } from '../../server/src/catalog/seat-layouts.ts';
import { createSnapshotCache } from '../../server/src/catalog/seat-map-cache.ts';
import { StatusSnapshot } from '../../server/src/catalog/status-snapshot.ts';
import { type Config, testConfig } from '../../server/src/config.ts';
import { newHoldId } from '../../server/src/holds/hold-id.ts';
import type { HoldStore } from '../../server/src/holds/hold-store.ts';
import { createMemoryHoldStore } from '../../server/src/holds/memory-hold-store.ts';
import { registerErrorHandler } from '../../server/src/http/error-handler.ts';
import { proxyTrust } from '../../server/src/limits/client-address.ts';
import type { EventBus } from '../../server/src/live/event-bus.ts';
import { createMemoryEventBus, type MemoryEventBus } from '../../server/src/live/memory-event-bus.ts';
import { type Live, registerLive } from '../../server/src/live/register.ts';
import type { FeedSnapshot, LiveDirectory } from '../../server/src/live/types.ts';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A minimal layout for the live layer: seats in the given order, nothing else about them. */
function testLayout(scheduleId: string, seatIds: string[]): SeatLayout {
  const seats = seatIds.map((id, i) => ({
    id,
    seatNumber: `A${i + 1}`,
    section: 'A',
    row: 'A',
    position: i + 1,
    x: i,
    y: 0,
    grade: 'R',
    price: 1000,
    accessible: false,
    companion: false,
  }));
  return {
    scheduleId,
    concertId: randomUUID(),
    concertTitle: 'test',
    timezone: 'Asia/Seoul',
    dateTime: new Date(Date.now() + 86_400_000),
    seats,
    byId: new Map(seats.map((s) => [s.id, s])),
    indexById: new Map(seats.map((s, i) => [s.id, i])),
    rows: new Map([['A', seats]]),
    areas: [],
    areaById: new Map(),
    places: new Map(),
    jsonPrefixes: seats.map((s) => `{"id":"${s.id}","status":"`),
    layoutVersion: 'test',
    body: () => {
      throw new Error('not used by the live layer');
    },
  };
}

/**
 * Performances over a real hold store (memory or Redis, shared by every node of a test cluster as the database and
 * Redis would be), answering what the live layer asks the way the app does. Changes go through the store, which
 * publishes them.
 */
export class TestDirectory implements LiveDirectory {
  private readonly snapshots = createSnapshotCache<StatusSnapshot>();
  /** Run around the snapshot read, to let tests change seats while a feed is between subscribing and sending. */
  beforeSnapshot: (() => Promise<void>) | undefined;
  afterSnapshot: (() => Promise<void>) | undefined;
  /** Calls to `exists` that had to look a performance up (the others were answered from what is known). */
  lookups = 0;

  /** `layouts` may be shared by the directories of several nodes (as their database would be). */
  constructor(
    readonly store: HoldStore,
    readonly layouts = new Map<string, SeatLayout>(),
  ) {}

  addSchedule(seatCount = 10): { scheduleId: string; seatIds: string[] } {
    const scheduleId = randomUUID();
    const seatIds = Array.from({ length: seatCount }, () => randomUUID());
    this.layouts.set(scheduleId, testLayout(scheduleId, seatIds));
    return { scheduleId, seatIds };
  }

  /** Holds seats (one store step, one event); returns the hold id. */
  async hold(scheduleId: string, seatIds: string[]): Promise<string> {
    const holdId = newHoldId(scheduleId);
    const outcome = await this.store.create({ holdId, scheduleId, seatIds, ttlMs: 60_000 });
    if (!outcome.ok) throw new Error(`hold refused: ${JSON.stringify(outcome)}`);
    return holdId;
  }

  async exists(scheduleId: string) {
    this.lookups++;
    return this.layouts.has(scheduleId);
  }
  version(scheduleId: string) {
    return this.store.version(scheduleId);
  }
  async seatIndex(scheduleId: string) {
    return this.layouts.get(scheduleId)?.indexById ?? null;
  }
  async snapshot(scheduleId: string, form: SnapshotForm): Promise<FeedSnapshot | null> {
    await this.beforeSnapshot?.();
    const layout = this.layouts.get(scheduleId);
    if (!layout) return null;
    const version = await this.store.version(scheduleId);
    const snapshot = await this.snapshots.get(
      scheduleId,
      version,
      async () => new StatusSnapshot(layout, await this.store.states(scheduleId)),
    );
    await this.afterSnapshot?.();
    return { version: snapshot.version, bytes: snapshot.feed(form) };
  }
}

/** Embedded stores: a memory hold store publishing to the memory bus, as buildApp wires them without Redis. */
export function embedded(): { bus: MemoryEventBus; directory: TestDirectory } {
  const bus = createMemoryEventBus();
  return { bus, directory: new TestDirectory(createMemoryHoldStore({ publish: (e) => bus.publish(e) })) };
}

export interface TestNode {
  app: FastifyInstance;
  live: Live;
  url: string;
  port: number;
}

/** Fastify + the live plugin on 127.0.0.1:0, as buildApp wires it (with the app's error answers). */
export async function startNode(options: {
  bus: EventBus;
  directory: LiveDirectory;
  config?: Partial<Config>;
  redis?: import('../../server/src/holds/redis-client.ts').RedisClient;
}): Promise<TestNode> {
  const config = testConfig({ BROADCAST_WINDOW_MS: 20, ...options.config });
  const app = Fastify({ logger: false, trustProxy: proxyTrust(config) });
  registerErrorHandler(app, { clientPages: false });
  app.get('/api/ping', async () => ({ pong: true }));
  const live = await registerLive(app, {
    config,
    bus: options.bus,
    directory: options.directory,
    redis: options.redis,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  return { app, live, url: `http://127.0.0.1:${port}`, port };
}

export function socketClient(
  url: string,
  options: { origin?: string; transports?: ('websocket' | 'polling')[]; headers?: Record<string, string> } = {},
): ClientSocket {
  return connect(url, {
    transports: options.transports ?? ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: { ...(options.origin ? { origin: options.origin } : {}), ...options.headers },
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
export function feedClient(url: string, scheduleId: string, headers: Record<string, string> = {}, query = '') {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/api/schedules/${scheduleId}/live${query}`, { headers });
  const messages: unknown[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) =>
      reject(Object.assign(new Error('refused'), { status: res.statusCode })),
    );
  });
  opened.catch(() => {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  ws.on('error', () => {});
  return { ws, messages, opened, closed };
}

export { waitFor } from '../support/wait.ts';

/** The seat statuses a watcher's events say, applied in order from a starting map. */
export function applyEvents(start: Map<string, string>, events: SeatsChanged[]): Map<string, string> {
  const map = new Map(start);
  for (const event of events) for (const change of event.changes) map.set(change.seatId, change.status);
  return map;
}
