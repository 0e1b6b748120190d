// biome-ignore-all lint/suspicious/noExplicitAny: migrations are frozen in time, so they take an untyped Kysely.
import { type Kysely, sql } from 'kysely';

// Waiting-room settings per concert (SPEC §10). Durable here so a Redis restart never loses them: the queue's
// live state (tickets, admissions) is in Redis, and a queue whose state is gone fails closed. Values are
// validated by the API's schema; `updated_at` is set by the repository.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('concert_queues')
    .addColumn('concert_id', 'uuid', (c) => c.primaryKey().references('concerts.id').onDelete('cascade'))
    .addColumn('enabled', 'boolean', (c) => c.notNull())
    .addColumn('opens_at', 'timestamptz', (c) => c.notNull())
    .addColumn('admit_per_minute', 'integer', (c) => c.notNull())
    .addColumn('max_active', 'integer', (c) => c.notNull())
    .addColumn('session_minutes', 'integer', (c) => c.notNull().defaultTo(10))
    .addColumn('challenge_bits', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('paused', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('concert_queues').execute();
}
