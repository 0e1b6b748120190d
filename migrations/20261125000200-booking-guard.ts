// biome-ignore-all lint/suspicious/noExplicitAny: migrations are frozen in time, so they take an untyped Kysely.
import { type Kysely, sql } from 'kysely';

// The booking runs as one statement (lock, check, insert, mark). This guard lets that statement abort itself —
// and so roll back the insert — if it ever marks fewer seats than it locked.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION seatmap_assert(ok boolean, message text) RETURNS boolean
    LANGUAGE plpgsql AS $$
    BEGIN
      IF ok IS NOT TRUE THEN
        RAISE EXCEPTION '%', message USING ERRCODE = 'P0001';
      END IF;
      RETURN true;
    END;
    $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION seatmap_assert(boolean, text)`.execute(db);
}
