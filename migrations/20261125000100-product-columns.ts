// biome-ignore-all lint/suspicious/noExplicitAny: migrations are frozen in time, so they take an untyped Kysely.
import { type Kysely, sql } from 'kysely';

// SPEC §4 additions: venue and time zone, seat geometry, and the reservation number, idempotency key,
// request hash and hold id (a fence against booking one hold twice).
const upStatements = [
  `ALTER TABLE concerts
    ADD COLUMN venue VARCHAR(255) NOT NULL DEFAULT '',
    ADD COLUMN timezone VARCHAR(64) NOT NULL DEFAULT 'Asia/Seoul'`,
  `COMMENT ON COLUMN concerts.venue IS '공연장 이름'`,
  `COMMENT ON COLUMN concerts.timezone IS '공연장 IANA 시간대 (달력 날짜 기준)'`,

  `ALTER TABLE seats
    ADD COLUMN section VARCHAR(20) NOT NULL DEFAULT '',
    ADD COLUMN row_label VARCHAR(10) NOT NULL DEFAULT '',
    ADD COLUMN position INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN x REAL NOT NULL DEFAULT 0,
    ADD COLUMN y REAL NOT NULL DEFAULT 0`,
  // Row-wise reads (orphan-seat rule, best-available) walk one row of one schedule in seat order.
  'CREATE INDEX idx_seats_schedule_row ON seats(schedule_id, row_label, position)',
  `COMMENT ON COLUMN seats.section IS '구역 이름'`,
  `COMMENT ON COLUMN seats.row_label IS '열 (회차 내 고유)'`,
  `COMMENT ON COLUMN seats.position IS '열 안에서의 순서 (1부터)'`,

  // Added nullable, then tightened, so the migration also works on a seed database with reservations.
  `ALTER TABLE reservations
    ADD COLUMN reservation_number VARCHAR(12),
    ADD COLUMN idempotency_key VARCHAR(255),
    ADD COLUMN request_hash VARCHAR(64),
    ADD COLUMN hold_id VARCHAR(64)`,
  `UPDATE reservations SET reservation_number = upper(substr(replace(id::text, '-', ''), 1, 12))
    WHERE reservation_number IS NULL`,
  'ALTER TABLE reservations ALTER COLUMN reservation_number SET NOT NULL',
  'ALTER TABLE reservations ADD CONSTRAINT reservations_reservation_number_key UNIQUE (reservation_number)',
  'ALTER TABLE reservations ADD CONSTRAINT reservations_idempotency_key_key UNIQUE (idempotency_key)',
  'ALTER TABLE reservations ADD CONSTRAINT reservations_hold_id_key UNIQUE (hold_id)',
  `COMMENT ON COLUMN reservations.reservation_number IS '예약 번호 (고객용)'`,
  `COMMENT ON COLUMN reservations.idempotency_key IS 'Idempotency-Key 헤더'`,
  `COMMENT ON COLUMN reservations.request_hash IS '같은 키로 다른 요청을 구별하는 요청 해시'`,
  `COMMENT ON COLUMN reservations.hold_id IS '예약에 사용된 홀드 ID (한 번만 예약)'`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of upStatements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql
    .raw(`ALTER TABLE reservations
      DROP COLUMN hold_id, DROP COLUMN request_hash, DROP COLUMN idempotency_key, DROP COLUMN reservation_number`)
    .execute(db);
  await sql.raw('DROP INDEX IF EXISTS idx_seats_schedule_row').execute(db);
  await sql
    .raw(
      'ALTER TABLE seats DROP COLUMN y, DROP COLUMN x, DROP COLUMN position, DROP COLUMN row_label, DROP COLUMN section',
    )
    .execute(db);
  await sql.raw('ALTER TABLE concerts DROP COLUMN timezone, DROP COLUMN venue').execute(db);
}
