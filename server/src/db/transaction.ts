import type { Transaction } from 'kysely';
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
export async function withRetry<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      const code = pgErrorCode(err);
      if (attempt >= attempts || !code || !RETRYABLE.has(code)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 10));
    }
  }
}

/** Runs `work` in one transaction, with `withRetry`. */
export function inTransaction<T>(db: Db, work: (trx: Transaction<Database>) => Promise<T>, attempts = 3): Promise<T> {
  return withRetry(() => db.transaction().execute(work), attempts);
}
