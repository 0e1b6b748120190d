// biome-ignore-all lint/suspicious/noExplicitAny: migrations are frozen in time, so they take an untyped Kysely.
import { type Kysely, sql } from 'kysely';

// Data upkeep (the seed's "past performances archived, cancelled reservations cleaned up"): `npm run retention`
// moves rows of past performances and old cancelled reservations into these tables, so the live tables keep only
// live data. Each archive has its live table's columns (as of now) plus `archived_at`, no foreign keys, and the
// indexes an operator's lookups need.
const upStatements = [
  'CREATE TABLE schedules_archive (LIKE schedules INCLUDING DEFAULTS)',
  'ALTER TABLE schedules_archive ADD PRIMARY KEY (id), ADD COLUMN archived_at TIMESTAMPTZ NOT NULL DEFAULT NOW()',
  'CREATE INDEX idx_schedules_archive_concert_id ON schedules_archive(concert_id)',
  `COMMENT ON TABLE schedules_archive IS '보관된 과거 공연 일정 (npm run retention)'`,

  'CREATE TABLE seats_archive (LIKE seats INCLUDING DEFAULTS)',
  'ALTER TABLE seats_archive ADD PRIMARY KEY (id), ADD COLUMN archived_at TIMESTAMPTZ NOT NULL DEFAULT NOW()',
  'CREATE INDEX idx_seats_archive_schedule_id ON seats_archive(schedule_id)',
  `COMMENT ON TABLE seats_archive IS '보관된 과거 공연의 좌석'`,

  'CREATE TABLE reservations_archive (LIKE reservations INCLUDING DEFAULTS)',
  'ALTER TABLE reservations_archive ADD PRIMARY KEY (id), ADD COLUMN archived_at TIMESTAMPTZ NOT NULL DEFAULT NOW()',
  'CREATE INDEX idx_reservations_archive_schedule_id ON reservations_archive(schedule_id)',
  'CREATE INDEX idx_reservations_archive_number ON reservations_archive(reservation_number)',
  'CREATE INDEX idx_reservations_archive_customer_phone ON reservations_archive(customer_phone)',
  `COMMENT ON TABLE reservations_archive IS '보관된 예약 (과거 공연의 예약, 오래된 취소 예약)'`,

  // The retention job finds its work by these; partial indexes stay small (only rows that will be touched).
  `CREATE INDEX idx_reservations_cancelled_at ON reservations(cancelled_at) WHERE status = 'cancelled'`,
  'CREATE INDEX idx_reservations_idempotency_created ON reservations(created_at) WHERE idempotency_key IS NOT NULL',
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of upStatements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'DROP INDEX IF EXISTS idx_reservations_idempotency_created',
    'DROP INDEX IF EXISTS idx_reservations_cancelled_at',
    'DROP TABLE IF EXISTS reservations_archive',
    'DROP TABLE IF EXISTS seats_archive',
    'DROP TABLE IF EXISTS schedules_archive',
  ]) {
    await sql.raw(statement).execute(db);
  }
}
