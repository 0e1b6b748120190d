import { randomUUID } from 'node:crypto';
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeatLayouts } from '../../server/src/catalog/seat-layouts.ts';
import { createDatabase, type DatabaseHandle } from '../../server/src/db/connect.ts';
import { migrateToLatest } from '../../server/src/db/migrate.ts';
import type { MemoryEventBus } from '../../server/src/live/memory-event-bus.ts';
import { backends } from '../support/app.ts';
import { createFixture } from '../support/fixtures.ts';
import { createTestDatabase } from '../support/services.ts';
import { type ClientSocket, embedded, socketClient, startNode, type TestNode } from './support.ts';

/** Counts every statement sent to the database. */
function countQueries(): KyselyPlugin & { count: number } {
  const plugin = {
    count: 0,
    transformQuery: ({ node }: Parameters<KyselyPlugin['transformQuery']>[0]) => {
      plugin.count++;
      return node;
    },
    transformResult: async ({ result }: Parameters<KyselyPlugin['transformResult']>[0]) => result,
  };
  return plugin;
}

/**
 * SPEC §9: unknown schedule ids are remembered briefly, so a join flood costs (almost) no database queries. The
 * gateway asks the app's real layout cache, on a real database, with every statement counted.
 */
describe.each(await backends())('a join flood of unknown schedule ids (%s)', (backend) => {
  let database: DatabaseHandle;
  let drop = async () => {};
  let bus: MemoryEventBus;
  let node: TestNode;
  const queries = countQueries();
  const sockets: ClientSocket[] = [];
  let known: string;

  beforeAll(async () => {
    if (backend === 'real') {
      const created = await createTestDatabase();
      drop = created.drop;
      database = await createDatabase({ DATABASE_URL: created.url, DATA_DIR: '.data' });
    } else {
      database = await createDatabase({ DATABASE_URL: 'memory://', DATA_DIR: '.data' });
    }
    await migrateToLatest(database.db);
    known = (await createFixture(database.db)).scheduleId;
    const layouts = createSeatLayouts(database.db.withPlugin(queries));
    const stores = embedded();
    bus = stores.bus;
    const { directory } = stores;
    directory.exists = (id) => layouts.exists(id);
    directory.seatIndex = async (id) => (await layouts.get(id))?.indexById ?? null;
    // Every viewer here comes from 127.0.0.1.
    node = await startNode({ bus, directory, config: { MAX_CONNECTIONS_PER_IP: 1000 } });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await node?.app.close();
    await bus?.close();
    await database?.close();
    await drop();
  });

  /** 100 new viewers, each joining 20 performances at once (the most one connection may watch, within its burst). */
  const flood = async (ids: string[]) => {
    const viewers = Array.from({ length: 100 }, () => socketClient(node.url));
    sockets.push(...viewers);
    try {
      return await Promise.all(ids.map((id, i) => viewers[i % viewers.length]!.emitWithAck('schedule:join', id)));
    } finally {
      for (const v of viewers) v.disconnect();
    }
  };

  it('2,000 distinct unknown ids: a handful of batched queries; the same 2,000 again: none', async () => {
    const ids = Array.from({ length: 2000 }, () => randomUUID());
    const before = queries.count;
    const acks = await flood(ids);
    expect(acks.every((a) => !a.ok && a.error.code === 'SCHEDULE_NOT_FOUND')).toBe(true);
    const first = queries.count - before;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(50); // batched: in practice a handful

    const again = await flood(ids);
    expect(again.every((a) => !a.ok && a.error.code === 'SCHEDULE_NOT_FOUND')).toBe(true);
    expect(queries.count - before - first).toBe(0);
  });

  it('2,000 joins of a few bogus ids cost one query each at most, and a real performance is still found', async () => {
    const bogus = Array.from({ length: 10 }, () => randomUUID());
    const before = queries.count;
    const acks = await flood(Array.from({ length: 2000 }, (_, i) => bogus[i % bogus.length]!));
    expect(acks.every((a) => !a.ok && a.error.code === 'SCHEDULE_NOT_FOUND')).toBe(true);
    expect(queries.count - before).toBeLessThanOrEqual(bogus.length);
    const viewer = socketClient(node.url);
    sockets.push(viewer);
    expect(await viewer.emitWithAck('schedule:join', known)).toEqual({ ok: true, version: 0 });
  });
});
