import { type Kysely, type RawBuilder, sql } from 'kysely';
import { withQueryKind } from '../metrics/query-kind.ts';

export interface RetentionOptions {
  /** The instant the cut-offs count back from. */
  now: Date;
  /** Performances that started more than this many days ago move to the archive with their seats and reservations. */
  archiveAfterDays: number;
  /** Cancelled reservations cancelled more than this many days ago move to the archive. */
  cancelledAfterDays: number;
  /** Idempotency keys (and request hashes) older than this many hours are cleared. */
  idempotencyHours: number;
  /** Rows per statement: each batch is one short statement (its own transaction) that skips locked rows. */
  batchSize: number;
  /** Count what would move, change nothing. */
  dryRun: boolean;
}

export interface RetentionReport {
  dryRun: boolean;
  /** Past performances archived (or, dry run, to archive). */
  schedules: number;
  seats: number;
  /** Reservations of those performances, confirmed or cancelled. */
  reservations: number;
  /** Cancelled reservations of live performances. */
  cancelledReservations: number;
  idempotencyKeys: number;
}

export const DEFAULT_RETENTION: Omit<RetentionOptions, 'now' | 'dryRun'> = {
  archiveAfterDays: 30,
  cancelledAfterDays: 30,
  idempotencyHours: 24,
  batchSize: 1000,
};

const DAY_MS = 86_400_000;
// biome-ignore lint/suspicious/noExplicitAny: the archive tables are not part of the app's typed schema.
type AnyDb = Kysely<any>;

/** The columns an archive table shares with its live table (so a column added later to one never breaks a move). */
async function sharedColumns(db: AnyDb, table: string): Promise<string[]> {
  const { rows } = await sql<{ column_name: string }>`
    SELECT live.column_name FROM information_schema.columns live
    JOIN information_schema.columns archive
      ON archive.table_schema = live.table_schema AND archive.table_name = ${`${table}_archive`}
     AND archive.column_name = live.column_name
    WHERE live.table_schema = current_schema() AND live.table_name = ${table}
    ORDER BY live.ordinal_position`.execute(db);
  if (rows.length === 0) throw new Error(`no archive table for ${table}: run the migrations`);
  return rows.map((r) => r.column_name);
}

/**
 * Moves up to `limit` rows of `table` matching `where` into `<table>_archive` in one statement (delete returning →
 * insert): atomic per batch, and rows another transaction holds are skipped, never waited on.
 */
async function moveBatch(db: AnyDb, table: string, columns: string[], where: RawBuilder<unknown>, limit: number) {
  const cols = sql.join(columns.map((c) => sql.ref(c)));
  const { rows } = await sql`
    WITH moved AS (
      DELETE FROM ${sql.table(table)} WHERE id IN (
        SELECT id FROM ${sql.table(table)} WHERE ${where} LIMIT ${limit} FOR UPDATE SKIP LOCKED
      ) RETURNING ${cols}
    )
    INSERT INTO ${sql.table(`${table}_archive`)} (${cols}) SELECT ${cols} FROM moved RETURNING 1 AS moved`.execute(db);
  return rows.length;
}

async function moveAll(db: AnyDb, table: string, columns: string[], where: RawBuilder<unknown>, limit: number) {
  let total = 0;
  for (;;) {
    const moved = await moveBatch(db, table, columns, where, limit);
    total += moved;
    if (moved < limit) return total;
  }
}

async function count(db: AnyDb, query: RawBuilder<{ n: number | string }>): Promise<number> {
  const { rows } = await query.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/**
 * The seed's data upkeep, safe on a live system: past performances (started more than `archiveAfterDays` ago) move
 * to `schedules_archive` / `seats_archive` / `reservations_archive` — reservations first, then seats, then the
 * performance, so a run cut short leaves a consistent remainder the next run finishes; cancelled reservations older
 * than `cancelledAfterDays` move to `reservations_archive`; idempotency keys older than `idempotencyHours` are
 * cleared (a retry after that is a new request). Concerts stay. Every change is a batch of at most `batchSize`
 * rows in its own statement.
 */
export function runRetention(db: AnyDb, options: RetentionOptions): Promise<RetentionReport> {
  return withQueryKind('retention', async () => {
    const { now, batchSize, dryRun } = options;
    const scheduleCutoff = new Date(now.getTime() - options.archiveAfterDays * DAY_MS);
    const cancelledCutoff = new Date(now.getTime() - options.cancelledAfterDays * DAY_MS);
    const keyCutoff = new Date(now.getTime() - options.idempotencyHours * 3_600_000);
    const pastSchedule = sql`schedule_id IN (SELECT id FROM schedules WHERE date_time < ${scheduleCutoff})`;
    const oldCancelled = sql`status = 'cancelled' AND cancelled_at < ${cancelledCutoff}`;
    const oldKey = sql`idempotency_key IS NOT NULL AND created_at < ${keyCutoff}`;

    if (dryRun) {
      return {
        dryRun,
        schedules: await count(db, sql`SELECT count(*) AS n FROM schedules WHERE date_time < ${scheduleCutoff}`),
        seats: await count(db, sql`SELECT count(*) AS n FROM seats WHERE ${pastSchedule}`),
        reservations: await count(db, sql`SELECT count(*) AS n FROM reservations WHERE ${pastSchedule}`),
        cancelledReservations: await count(
          db,
          sql`SELECT count(*) AS n FROM reservations WHERE ${oldCancelled} AND NOT ${pastSchedule}`,
        ),
        idempotencyKeys: await count(
          db,
          sql`SELECT count(*) AS n FROM reservations WHERE ${oldKey} AND NOT ${pastSchedule} AND NOT (${oldCancelled})`,
        ),
      };
    }

    const columns = {
      schedules: await sharedColumns(db, 'schedules'),
      seats: await sharedColumns(db, 'seats'),
      reservations: await sharedColumns(db, 'reservations'),
    };
    const report: RetentionReport = {
      dryRun,
      schedules: 0,
      seats: 0,
      reservations: 0,
      cancelledReservations: 0,
      idempotencyKeys: 0,
    };
    for (;;) {
      const { rows } = await sql<{ id: string }>`
        SELECT id FROM schedules WHERE date_time < ${scheduleCutoff} ORDER BY date_time LIMIT 100`.execute(db);
      if (rows.length === 0) break;
      let progressed = false;
      for (const { id } of rows) {
        const ofSchedule = sql`schedule_id = ${id}`;
        report.reservations += await moveAll(db, 'reservations', columns.reservations, ofSchedule, batchSize);
        report.seats += await moveAll(db, 'seats', columns.seats, ofSchedule, batchSize);
        // Only once nothing refers to it any more (reservations restrict, seats would cascade unarchived).
        const moved = await moveBatch(
          db,
          'schedules',
          columns.schedules,
          sql`id = ${id} AND NOT EXISTS (SELECT 1 FROM reservations WHERE schedule_id = ${id})
            AND NOT EXISTS (SELECT 1 FROM seats WHERE schedule_id = ${id})`,
          1,
        );
        report.schedules += moved;
        progressed ||= moved > 0;
      }
      // Rows held by someone else right now: leave them to the next run rather than spin on them.
      if (!progressed) break;
    }
    report.cancelledReservations = await moveAll(db, 'reservations', columns.reservations, oldCancelled, batchSize);
    for (;;) {
      const { rows } = await sql`
        UPDATE reservations SET idempotency_key = NULL, request_hash = NULL WHERE id IN (
          SELECT id FROM reservations WHERE ${oldKey} LIMIT ${batchSize} FOR UPDATE SKIP LOCKED
        ) RETURNING 1 AS cleared`.execute(db);
      report.idempotencyKeys += rows.length;
      if (rows.length < batchSize) break;
    }
    return report;
  });
}
