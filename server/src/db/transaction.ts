import type { Transaction } from 'kysely';
import type { Database, Db } from './database.ts';

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock detected

export function pgErrorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The unique constraint a Postgres 23505 error names, if any. */
export function uniqueViolation(err: unknown): string | undefined {
  if (pgErrorCode(err) !== '23505') return undefined;
  const e = err as { constraint?: string; detail?: string; message?: string };
  return e.constraint ?? e.detail ?? e.message ?? 'unique';
}

/**
 * Runs `work` in one transaction, retrying a bounded number of times on serialization failures and deadlocks
 * (the work must be safe to repeat: it is, since nothing outside the database happens inside it).
 */
export async function inTransaction<T>(
  db: Db,
  work: (trx: Transaction<Database>) => Promise<T>,
  attempts = 3,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (err) {
      const code = pgErrorCode(err);
      if (attempt >= attempts || !code || !RETRYABLE.has(code)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 10));
    }
  }
}
