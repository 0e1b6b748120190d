import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../server/src/db/connect.ts';
import { isDatabaseUnavailable } from '../../server/src/db/errors.ts';
import { createTestDatabase, realServices } from '../support/services.ts';
import { waitFor } from '../support/wait.ts';

const useReal = await realServices();

describe.runIf(useReal)('createDatabase on real Postgres', () => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  const logged: string[] = [];
  const logger = { info: () => {}, error: (_obj: object, msg?: string) => logged.push(msg ?? '') };

  beforeAll(async () => {
    const tdb = await createTestDatabase();
    drop = tdb.drop;
    handle = await createDatabase({ DATABASE_URL: tdb.url, DATA_DIR: '.data' }, logger, {
      maxConnections: 5,
      // 50 transactions queue for 5 connections: the last waits for 45 commits, seconds on a busy 2-core box.
      connectionTimeoutMs: 60_000,
      // Long enough for 50 transactions queueing on one row lock on a loaded CI machine.
      statementTimeoutMs: 2000,
    });
    await sql`CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)`.execute(handle.db);
    await sql`INSERT INTO counter VALUES (1, 0)`.execute(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
    await drop?.();
  });

  it('reports its kind and a credential-free location', () => {
    expect(handle.kind).toBe('postgres');
    expect(handle.location).toMatch(/^postgres:\/\/127\.0\.0\.1:5432\/seatmap_test_/);
  });

  it('runs 50 concurrent locking transactions through the pool without losing an update', async () => {
    await Promise.all(
      Array.from({ length: 50 }, () =>
        handle.db.transaction().execute(async (trx) => {
          const { rows } = await sql<{ n: number }>`SELECT n FROM counter WHERE id = 1 FOR UPDATE`.execute(trx);
          await sql`UPDATE counter SET n = ${rows[0]!.n + 1} WHERE id = 1`.execute(trx);
        }),
      ),
    );
    const { rows } = await sql<{ n: number; c: number }>`SELECT n, count(*) OVER () AS c FROM counter`.execute(
      handle.db,
    );
    // int8 (count) is parsed as a number, as PGlite does.
    expect(rows).toEqual([{ n: 50, c: 1 }]);
  });

  it('cancels a statement past statement_timeout with an error classed as unavailable', async () => {
    const started = Date.now();
    const err = await sql`SELECT pg_sleep(10)`.execute(handle.db).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(err).toMatchObject({ code: '57014' });
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it('survives an idle connection being killed: logs it and keeps serving', async () => {
    // Fill the pool with idle clients, then terminate all of them but the killer's own session.
    await Promise.all(Array.from({ length: 4 }, () => sql`SELECT pg_sleep(0.05)`.execute(handle.db)));
    await handle.db.connection().execute(async (conn) => {
      await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid()`.execute(conn);
    });
    // The pool hears of the killed clients (and logs it), then serves from new ones.
    await waitFor(() => logged.includes('postgres idle client error'), 20_000, 'the idle client error');
    const { rows } = await sql<{ n: number }>`SELECT n FROM counter`.execute(handle.db);
    expect(rows[0]!.n).toBe(50);
    expect(logged).toContain('postgres idle client error');
  });
});

describe('createDatabase against an unreachable Postgres', () => {
  it('fails fast with an error classed as unavailable', async () => {
    const handle = await createDatabase({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', DATA_DIR: '.data' });
    const started = Date.now();
    const err = await sql`SELECT 1`.execute(handle.db).catch((e: unknown) => e);
    await handle.close();
    expect(Date.now() - started).toBeLessThan(2500);
    expect(err).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(err)).toBe(true);
  });
});
