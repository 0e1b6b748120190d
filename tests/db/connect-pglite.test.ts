import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../server/src/db/connect.ts';
import { isDatabaseUnavailable, isUniqueViolation } from '../../server/src/db/errors.ts';

describe('PGlite in memory', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createDatabase({ DATABASE_URL: 'memory://', DATA_DIR: 'unused' });
    await sql`CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)`.execute(handle.db);
    await sql`INSERT INTO counter VALUES (1, 0)`.execute(handle.db);
  });
  afterAll(() => handle.close());

  it('reports its kind', () => {
    expect(handle.kind).toBe('pglite');
    expect(handle.location).toBe('memory://');
  });

  it('never interleaves concurrent transactions on its single connection', async () => {
    // Read, yield to the event loop, write: with interleaving, many increments would be lost.
    await Promise.all(
      Array.from({ length: 50 }, () =>
        handle.db.transaction().execute(async (trx) => {
          const { rows } = await sql<{ n: number }>`SELECT n FROM counter WHERE id = 1`.execute(trx);
          await new Promise((r) => setTimeout(r, Math.random() * 3));
          await sql`UPDATE counter SET n = ${rows[0]!.n + 1} WHERE id = 1`.execute(trx);
        }),
      ),
    );
    const { rows } = await sql<{ n: number }>`SELECT n FROM counter WHERE id = 1`.execute(handle.db);
    expect(rows[0]!.n).toBe(50);
  });

  it('rolls back a failed transaction and keeps serving the others', async () => {
    const results = await Promise.allSettled([
      handle.db.transaction().execute(async (trx) => {
        await sql`UPDATE counter SET n = n + 100 WHERE id = 1`.execute(trx);
        throw new Error('boom');
      }),
      handle.db.transaction().execute((trx) => sql`UPDATE counter SET n = n + 1 WHERE id = 1`.execute(trx)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    const { rows } = await sql<{ n: number }>`SELECT n FROM counter WHERE id = 1`.execute(handle.db);
    expect(rows[0]!.n).toBe(51);
  });

  it('returns counts as numbers and reports unique violations by constraint', async () => {
    const { rows } = await sql<{ c: number }>`SELECT count(*) AS c FROM counter`.execute(handle.db);
    expect(rows[0]!.c).toBe(1);
    const err = await sql`INSERT INTO counter VALUES (1, 0)`.execute(handle.db).catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    expect(isUniqueViolation(err, 'counter_pkey')).toBe(true);
    expect(isUniqueViolation(err, 'other')).toBe(false);
    expect(isDatabaseUnavailable(err)).toBe(false);
  });

  it('reports zero affected rows for an update that matched nothing', async () => {
    const r = await sql`UPDATE counter SET n = n WHERE id = 999`.execute(handle.db);
    expect(r.numAffectedRows ?? 0n).toBe(0n);
  });
});

describe('PGlite on disk', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'seatmap-pglite-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('creates DATA_DIR/pglite and keeps data across reopen', async () => {
    const first = await createDatabase({ DATABASE_URL: undefined, DATA_DIR: path.join(dir, 'nested') });
    expect(first.location).toBe(path.join(dir, 'nested', 'pglite'));
    await sql`CREATE TABLE kept (v text)`.execute(first.db);
    await sql`INSERT INTO kept VALUES ('still here')`.execute(first.db);
    await first.close();
    const second = await createDatabase({ DATABASE_URL: undefined, DATA_DIR: path.join(dir, 'nested') });
    const { rows } = await sql<{ v: string }>`SELECT v FROM kept`.execute(second.db);
    await second.close();
    expect(rows).toEqual([{ v: 'still here' }]);
  });
});

describe('isDatabaseUnavailable', () => {
  const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

  it.each([
    ['ECONNREFUSED', withCode('ECONNREFUSED')],
    ['ETIMEDOUT', withCode('ETIMEDOUT')],
    ['admin shutdown 57P01', withCode('57P01')],
    ['crash shutdown 57P02', withCode('57P02')],
    ['cannot connect now 57P03', withCode('57P03')],
    ['connection exception 08006', withCode('08006')],
    ['statement timeout 57014', withCode('57014')],
    ['pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['terminated connection', new Error('Connection terminated unexpectedly')],
    ['client query timeout', new Error('Query read timeout')],
    ['AggregateError of refusals', new AggregateError([withCode('ECONNREFUSED')], '')],
    ['wrapped cause', new Error('outer', { cause: withCode('ECONNRESET') })],
  ])('recognises %s', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ['unique violation', withCode('23505', 'duplicate key value')],
    ['syntax error', withCode('42601')],
    ['serialization failure', withCode('40001')],
    ['plain error', new Error('nope')],
    ['non-error', 'ECONNREFUSED'],
    ['null', null],
  ])('does not flag %s', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});
