// biome-ignore-all lint/suspicious/noExplicitAny: migrations are frozen in time, so they take an untyped Kysely.
import { type Kysely, sql } from 'kysely';

// Per-person purchase limit (SPEC §11). `purchase_tallies` counts the confirmed seats of one person (`phone:<digits>`
// and, when given, `email:<lowercased>`) per performance; the booking statement upserts it with the seats it books
// and then calls seatmap_purchase_guard on the new count, which aborts the whole statement past the limit. The upsert
// takes the tally's row lock, so concurrent bookings of one person queue on it and each sees the other's seats.
// A concert may set its own limit (NULL = the server's MAX_TICKETS_PER_PERSON; 0 = none).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('concerts').addColumn('max_tickets_per_person', 'integer').execute();
  await db.schema
    .createTable('purchase_tallies')
    .addColumn('schedule_id', 'uuid', (c) => c.notNull().references('schedules.id').onDelete('cascade'))
    .addColumn('person', 'text', (c) => c.notNull())
    .addColumn('seats', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('purchase_tallies_pkey', ['schedule_id', 'person'])
    .execute();
  await sql`
    INSERT INTO purchase_tallies (schedule_id, person, seats)
    SELECT schedule_id, person, sum(cardinality(seat_ids))::int FROM (
      SELECT schedule_id, 'phone:' || customer_phone AS person, seat_ids FROM reservations WHERE status = 'confirmed'
      UNION ALL
      SELECT schedule_id, 'email:' || lower(customer_email), seat_ids FROM reservations
      WHERE status = 'confirmed' AND customer_email IS NOT NULL
    ) booked
    GROUP BY schedule_id, person`.execute(db);
  // SQLSTATE SM409 is this project's own: the caller answers 409 PURCHASE_LIMIT with the DETAIL's numbers.
  await sql`
    CREATE FUNCTION seatmap_purchase_guard(booked integer, requested integer, cap integer) RETURNS boolean
    LANGUAGE plpgsql AS $$
    BEGIN
      IF cap > 0 AND booked > cap THEN
        RAISE EXCEPTION 'purchase limit' USING ERRCODE = 'SM409',
          DETAIL = json_build_object('limit', cap, 'alreadyBooked', booked - requested)::text;
      END IF;
      RETURN true;
    END;
    $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION seatmap_purchase_guard(integer, integer, integer)`.execute(db);
  await db.schema.dropTable('purchase_tallies').execute();
  await db.schema.alterTable('concerts').dropColumn('max_tickets_per_person').execute();
}
