import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, type LogEvent, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Config } from '../config.ts';
import type { Database } from './database.ts';

export { isDatabaseUnavailable, isUniqueViolation, pgErrorCode } from './errors.ts';

/** Structural subset of a pino logger. */
export interface DbLogger {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  /** Where the data lives, without credentials (for the startup line). */
  location: string;
  /** The Postgres pool (for its gauges); none for PGlite. */
  pool?: pg.Pool;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Pool size for Postgres (default 10). */
  maxConnections?: number;
  /** How long a query waits for a pooled connection before failing as unavailable (default 2000 ms). */
  connectionTimeoutMs?: number;
  /** Server-side statement_timeout for Postgres (default 5000 ms). */
  statementTimeoutMs?: number;
  /** Kysely's log hook: every statement and every failed one (metrics). */
  log?: (event: LogEvent) => void;
}

/** `DATABASE_URL=memory://` selects a throwaway in-memory PGlite (tests). */
export const MEMORY_DATABASE_URL = 'memory://';

const INT8_OID = 20;

// pg returns int8 (count(*), sum(int)) as strings while PGlite returns numbers; parse them as numbers on both
// so code above the db layer behaves the same in either mode. Our int8 values (counts, revenue) fit in 2^53.
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

/**
 * Opens the configured database: Postgres when DATABASE_URL is set, otherwise PGlite persisted under
 * `DATA_DIR/pglite` (or in memory for `memory://`). Does not migrate; see migrate.ts.
 */
export async function createDatabase(
  config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>,
  logger?: DbLogger,
  options: DatabaseOptions = {},
): Promise<DatabaseHandle> {
  const url = config.DATABASE_URL;
  if (url === undefined || url === MEMORY_DATABASE_URL) {
    return openPglite(url === undefined ? path.resolve(config.DATA_DIR, 'pglite') : undefined, options.log);
  }
  return openPostgres(url, logger, options);
}

function openPostgres(url: string, logger: DbLogger | undefined, options: DatabaseOptions): DatabaseHandle {
  const statementTimeout = options.statementTimeoutMs ?? 5000;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 2000,
    idleTimeoutMillis: 30_000,
    statement_timeout: statementTimeout,
    // A frozen or partitioned server never sends statement_timeout; the client-side limit catches that.
    query_timeout: statementTimeout + 1000,
    idle_in_transaction_session_timeout: 10_000,
    application_name: 'seatmap',
    keepAlive: true,
    types: pgTypes,
  });
  // An idle client losing its connection (Postgres restart) must not crash the process; the pool replaces it.
  pool.on('error', (err) => logger?.error({ err }, 'postgres idle client error'));
  // A checked-out client (e.g. inside a transaction, between statements) that loses its connection emits 'error'
  // with no pool listener attached: without one of its own, that is an uncaught exception and a dead process.
  pool.on('connect', (client) => {
    client.on('error', (err) => logger?.error({ err }, 'postgres connection lost'));
  });
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    ...(options.log ? { log: options.log } : {}),
  });
  const parsed = new URL(url);
  return {
    db,
    kind: 'postgres',
    location: `postgres://${parsed.host}${parsed.pathname}`,
    pool,
    close: () => db.destroy(),
  };
}

async function openPglite(dataDir: string | undefined, log?: (event: LogEvent) => void): Promise<DatabaseHandle> {
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir);
  // PGlite is one connection. The dialect's driver hands it to one Kysely connection at a time and queues
  // the rest until release, so a transaction (BEGIN … COMMIT on that connection) never interleaves with
  // another request's queries. See docs/decisions/0001-embedded-pglite.md.
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite), ...(log ? { log } : {}) });
  return {
    db,
    kind: 'pglite',
    location: dataDir ?? MEMORY_DATABASE_URL,
    close: () => db.destroy(),
  };
}
