// biome-ignore-all lint/suspicious/noExplicitAny: migrations are frozen in time, so they take an untyped Kysely.
import { type Kysely, sql } from 'kysely';

// The seed design's schema, verbatim: tables, constraints, FK actions, index names, comments and the
// updated_at triggers. One statement per query because PGlite's extended protocol rejects multi-statement SQL.
const upStatements = [
  `CREATE TABLE concerts (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    title VARCHAR(255) NOT NULL,
    description TEXT,
    poster_image_url TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
  )`,
  'CREATE INDEX idx_concerts_created_at ON concerts(created_at)',
  `COMMENT ON TABLE concerts IS '콘서트 기본 정보'`,
  `COMMENT ON COLUMN concerts.title IS '콘서트 제목'`,
  `COMMENT ON COLUMN concerts.description IS '콘서트 설명'`,
  `COMMENT ON COLUMN concerts.poster_image_url IS '포스터 이미지 URL'`,

  `CREATE TABLE schedules (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    concert_id UUID NOT NULL REFERENCES concerts(id) ON DELETE CASCADE,
    date_time TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
  )`,
  'CREATE INDEX idx_schedules_concert_id ON schedules(concert_id)',
  'CREATE INDEX idx_schedules_date_time ON schedules(date_time)',
  'CREATE INDEX idx_schedules_concert_date ON schedules(concert_id, date_time)',
  `COMMENT ON TABLE schedules IS '콘서트 공연 일정'`,
  `COMMENT ON COLUMN schedules.concert_id IS '콘서트 ID (외래키)'`,
  `COMMENT ON COLUMN schedules.date_time IS '공연 날짜 및 시간'`,

  `CREATE TABLE seats (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    schedule_id UUID NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
    seat_number VARCHAR(10) NOT NULL,
    grade VARCHAR(5) NOT NULL,
    price INTEGER NOT NULL,
    status VARCHAR(20) NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'reserved')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
  )`,
  'CREATE INDEX idx_seats_schedule_id ON seats(schedule_id)',
  'CREATE INDEX idx_seats_status ON seats(status)',
  'CREATE INDEX idx_seats_schedule_status ON seats(schedule_id, status)',
  'CREATE UNIQUE INDEX idx_seats_schedule_seat_unique ON seats(schedule_id, seat_number)',
  `COMMENT ON TABLE seats IS '좌석 정보'`,
  `COMMENT ON COLUMN seats.schedule_id IS '공연 일정 ID (외래키)'`,
  `COMMENT ON COLUMN seats.seat_number IS '좌석 번호 (예: A10, B05)'`,
  `COMMENT ON COLUMN seats.grade IS '좌석 등급 (R, S, A 등)'`,
  `COMMENT ON COLUMN seats.price IS '좌석 가격'`,
  `COMMENT ON COLUMN seats.status IS '좌석 상태 (available: 예약가능, reserved: 예약됨)'`,

  `CREATE TABLE reservations (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    schedule_id UUID NOT NULL REFERENCES schedules(id) ON DELETE RESTRICT,
    seat_ids UUID[] NOT NULL,
    total_price INTEGER NOT NULL,
    customer_name VARCHAR(100) NOT NULL,
    customer_phone VARCHAR(20) NOT NULL,
    customer_email VARCHAR(255),
    status VARCHAR(20) NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'cancelled')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    cancelled_at TIMESTAMPTZ,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
  )`,
  'CREATE INDEX idx_reservations_schedule_id ON reservations(schedule_id)',
  'CREATE INDEX idx_reservations_customer_phone ON reservations(customer_phone)',
  'CREATE INDEX idx_reservations_customer_email ON reservations(customer_email)',
  'CREATE INDEX idx_reservations_status ON reservations(status)',
  'CREATE INDEX idx_reservations_created_at ON reservations(created_at)',
  `COMMENT ON TABLE reservations IS '예약 정보'`,
  `COMMENT ON COLUMN reservations.schedule_id IS '공연 일정 ID (외래키)'`,
  `COMMENT ON COLUMN reservations.seat_ids IS '예약된 좌석 ID 배열'`,
  `COMMENT ON COLUMN reservations.total_price IS '총 결제 금액'`,
  `COMMENT ON COLUMN reservations.customer_name IS '예약자 이름'`,
  `COMMENT ON COLUMN reservations.customer_phone IS '예약자 휴대폰 번호'`,
  `COMMENT ON COLUMN reservations.customer_email IS '예약자 이메일 (선택사항)'`,
  `COMMENT ON COLUMN reservations.status IS '예약 상태 (confirmed: 확정, cancelled: 취소)'`,
  `COMMENT ON COLUMN reservations.cancelled_at IS '취소 시간'`,

  `CREATE OR REPLACE FUNCTION update_updated_at_column()
  RETURNS TRIGGER AS $$
  BEGIN
      NEW.updated_at = NOW();
      RETURN NEW;
  END;
  $$ language 'plpgsql'`,
  `CREATE TRIGGER update_concerts_updated_at BEFORE UPDATE ON concerts
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column()`,
  `CREATE TRIGGER update_schedules_updated_at BEFORE UPDATE ON schedules
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column()`,
  `CREATE TRIGGER update_seats_updated_at BEFORE UPDATE ON seats
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column()`,
  `CREATE TRIGGER update_reservations_updated_at BEFORE UPDATE ON reservations
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column()`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of upStatements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  // Dropping the tables drops their indexes and triggers.
  for (const table of ['reservations', 'seats', 'schedules', 'concerts']) {
    await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db);
  }
  await sql.raw('DROP FUNCTION IF EXISTS update_updated_at_column()').execute(db);
}
