import { sql } from 'kysely';
import type { Db } from './database.ts';

/** The cheapest round trip to the database (readiness): SQL stays in the data layer, not in routes. */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
