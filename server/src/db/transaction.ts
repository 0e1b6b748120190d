import type { Transaction } from 'kysely';
import { retry } from '../retry.ts';
import type { Database, Db } from './database.ts';
import { pgErrorCode } from './errors.ts';

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock detected

/** The unique constraint a Postgres 23505 error names, if any. */
export function uniqueViolation(err: unknown): string | undefined {
  if (pgErrorCode(err) !== '23505') return undefined;
  const e = err as { constraint?: string; detail?: string; message?: string };
  return e.constraint ?? e.detail ?? e.message ?? 'unique';
}

/**
 * Runs `work` (one transaction or one atomic statement), retrying a bounded number of times on serialization
 * failures and deadlocks; the work must be safe to repeat, which it is when nothing outside the database happens
 * inside it.
 */
export function withRetry<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  return retry(work, {
    attempts,
    retryIf: (err) => RETRYABLE.has(pgErrorCode(err) ?? ''),
    delayMs: (attempt) => 5 * attempt + Math.random() * 10,
  });
}

/** Runs `work` in one transaction, with `withRetry`. */
export function inTransaction<T>(db: Db, work: (trx: Transaction<Database>) => Promise<T>, attempts = 3): Promise<T> {
  return withRetry(() => db.transaction().execute(work), attempts);
}
