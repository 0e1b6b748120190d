import type { LogEvent } from 'kysely';
import type pg from 'pg';
import { isDatabaseUnavailable, pgErrorCode } from '../db/errors.ts';
import { currentQueryKind } from './query-kind.ts';
import type { Metrics } from './registry.ts';

/** Why a query failed, in a few words an operator can alert on. */
export function queryErrorReason(err: unknown): 'timeout' | 'unavailable' | 'conflict' | 'invalid' | 'other' {
  const code = pgErrorCode(err);
  if (code === '57014') return 'timeout';
  if (isDatabaseUnavailable(err)) return 'unavailable';
  if (code === '23505' || code === '40001' || code === '40P01') return 'conflict';
  if (code?.startsWith('22') || code?.startsWith('23')) return 'invalid';
  return 'other';
}

/**
 * Kysely's `log` hook: every statement (BEGIN/COMMIT included) into `seatmap_db_query_duration_seconds{kind}`, and
 * every failed one into `seatmap_db_query_errors_total{kind,reason}`, where `kind` is the statement family of the
 * work running it (see query-kind.ts). The time is the statement's own, from sending to answer; waiting for a
 * pool connection is `seatmap_db_pool_acquire_duration_seconds`.
 */
export function dbQueryLog(metrics: Pick<Metrics, 'dbDuration' | 'dbErrors'>): (event: LogEvent) => void {
  return (event) => {
    const kind = currentQueryKind();
    if (event.level === 'error') metrics.dbErrors.inc({ kind, reason: queryErrorReason(event.error) });
    else metrics.dbDuration.observe({ kind }, event.queryDurationMillis / 1000);
  };
}

/** Pool gauges read at scrape time, and the time each checkout waits for a connection. */
export function instrumentPool(pool: pg.Pool, max: number, metrics: Metrics): void {
  metrics.setPool(() => ({ max, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }));
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  // Kysely checks connections out with the promise form; a callback caller is passed through untimed.
  pool.connect = ((...args: unknown[]) => {
    if (args.length > 0) return (connect as (...a: unknown[]) => unknown)(...args);
    const end = metrics.poolAcquire.startTimer();
    return connect().then(
      (client) => {
        end({ outcome: 'ok' });
        return client;
      },
      (err: unknown) => {
        end({ outcome: 'error' });
        throw err;
      },
    );
  }) as typeof pool.connect;
}
