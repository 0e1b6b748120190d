// biome-ignore-all lint/suspicious/noExplicitAny: migrations are frozen in time, so they take an untyped Kysely.
import { type Kysely, sql } from 'kysely';

// Inventory for real venues (SPEC §12), additive only: the seed's columns, constraints and indexes stay as they are.
// - Standing areas: `standing_areas` per performance; each standing place is one row of `seats` with `area_id` set
//   and `position` = its entry number, so the booking statement's row locks and `status` keep capacity exact.
// - Seat flags `accessible` / `companion`, fixed when the performance is created.
// - Seats not for sale: `withheld_reason` on the seat row itself, so the booking statement sees it under the row
//   lock it already takes (a kill committed while a booking waits on that lock is seen by it).
// Values are checked by the API's schemas (no new CHECKs: the seed's two status CHECKs stay the only ones).
// - Presale windows per concert and their access codes; a code's `uses` are counted by the booking statement.
const upStatements = [
  `CREATE TABLE standing_areas (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    schedule_id UUID NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
    name VARCHAR(20) NOT NULL,
    grade VARCHAR(5) NOT NULL,
    price INTEGER NOT NULL,
    capacity INTEGER NOT NULL,
    x REAL NOT NULL,
    y REAL NOT NULL,
    width REAL NOT NULL,
    height REAL NOT NULL,
    sort_order INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
  )`,
  'CREATE INDEX idx_standing_areas_schedule ON standing_areas(schedule_id, sort_order)',
  `COMMENT ON TABLE standing_areas IS '스탠딩 구역 (입장 번호 순)'`,

  `ALTER TABLE seats
    ADD COLUMN area_id UUID REFERENCES standing_areas(id) ON DELETE CASCADE,
    ADD COLUMN accessible BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN companion BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN withheld_reason VARCHAR(100)`,
  'CREATE INDEX idx_seats_area ON seats(area_id, position) WHERE area_id IS NOT NULL',
  'CREATE INDEX idx_seats_withheld ON seats(schedule_id) WHERE withheld_reason IS NOT NULL',
  `COMMENT ON COLUMN seats.area_id IS '스탠딩 구역의 입장 자리 (position = 입장 번호)'`,
  `COMMENT ON COLUMN seats.accessible IS '휠체어석'`,
  `COMMENT ON COLUMN seats.companion IS '휠체어석 동반자석'`,
  `COMMENT ON COLUMN seats.withheld_reason IS '판매 보류 사유 (NULL = 판매 중)'`,

  `CREATE TABLE presales (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    concert_id UUID NOT NULL REFERENCES concerts(id) ON DELETE CASCADE,
    name VARCHAR(100) NOT NULL,
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    max_uses_per_code INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
  )`,
  'CREATE INDEX idx_presales_concert ON presales(concert_id, ends_at)',
  `COMMENT ON TABLE presales IS '선예매 (팬클럽) 기간'`,
  `CREATE TABLE presale_codes (
    presale_id UUID NOT NULL REFERENCES presales(id) ON DELETE CASCADE,
    code VARCHAR(32) NOT NULL,
    uses INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (presale_id, code)
  )`,
  `COMMENT ON TABLE presale_codes IS '선예매 코드 (uses = 예약에 쓰인 횟수)'`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of upStatements) {
    await sql.raw(statement).execute(db);
  }
  // SQLSTATE SM403 is this project's own: the booking statement aborts (and rolls back) when its presale code could
  // not take one more use; the caller answers 403 PRESALE_CODE_INVALID.
  await sql`
    CREATE FUNCTION seatmap_presale_guard(ok boolean) RETURNS boolean
    LANGUAGE plpgsql AS $$
    BEGIN
      IF ok IS NOT TRUE THEN
        RAISE EXCEPTION 'presale code used up' USING ERRCODE = 'SM403';
      END IF;
      RETURN true;
    END;
    $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION seatmap_presale_guard(boolean)`.execute(db);
  for (const statement of [
    'DROP TABLE presale_codes',
    'DROP TABLE presales',
    'DROP INDEX IF EXISTS idx_seats_withheld',
    'DROP INDEX IF EXISTS idx_seats_area',
    'ALTER TABLE seats DROP COLUMN withheld_reason, DROP COLUMN companion, DROP COLUMN accessible, DROP COLUMN area_id',
    'DROP TABLE standing_areas',
  ]) {
    await sql.raw(statement).execute(db);
  }
}
