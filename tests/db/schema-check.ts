import { type Kysely, sql } from 'kysely';

/** Every seed column (+ SPEC §4 additions, + §12: standing places, seat flags, seats not for sale) as information_schema reports it: type, nullability, default. */
export const EXPECTED_COLUMNS: Record<string, Record<string, [type: string, nullable: boolean, def: string | null]>> = {
  concerts: {
    id: ['uuid', false, 'gen_random_uuid()'],
    title: ['character varying(255)', false, null],
    description: ['text', true, null],
    poster_image_url: ['text', true, null],
    created_at: ['timestamp with time zone', false, 'now()'],
    updated_at: ['timestamp with time zone', false, 'now()'],
    venue: ['character varying(255)', false, "''::character varying"],
    timezone: ['character varying(64)', false, "'Asia/Seoul'::character varying"],
    max_tickets_per_person: ['integer', true, null],
  },
  schedules: {
    id: ['uuid', false, 'gen_random_uuid()'],
    concert_id: ['uuid', false, null],
    date_time: ['timestamp with time zone', false, null],
    created_at: ['timestamp with time zone', false, 'now()'],
    updated_at: ['timestamp with time zone', false, 'now()'],
  },
  seats: {
    id: ['uuid', false, 'gen_random_uuid()'],
    schedule_id: ['uuid', false, null],
    seat_number: ['character varying(10)', false, null],
    grade: ['character varying(5)', false, null],
    price: ['integer', false, null],
    status: ['character varying(20)', false, "'available'::character varying"],
    created_at: ['timestamp with time zone', false, 'now()'],
    updated_at: ['timestamp with time zone', false, 'now()'],
    section: ['character varying(20)', false, "''::character varying"],
    row_label: ['character varying(10)', false, "''::character varying"],
    position: ['integer', false, '0'],
    x: ['real', false, '0'],
    y: ['real', false, '0'],
    area_id: ['uuid', true, null],
    accessible: ['boolean', false, 'false'],
    companion: ['boolean', false, 'false'],
    withheld_reason: ['character varying(100)', true, null],
  },
  reservations: {
    id: ['uuid', false, 'gen_random_uuid()'],
    schedule_id: ['uuid', false, null],
    seat_ids: ['uuid[]', false, null],
    total_price: ['integer', false, null],
    customer_name: ['character varying(100)', false, null],
    customer_phone: ['character varying(20)', false, null],
    customer_email: ['character varying(255)', true, null],
    status: ['character varying(20)', false, "'confirmed'::character varying"],
    created_at: ['timestamp with time zone', false, 'now()'],
    cancelled_at: ['timestamp with time zone', true, null],
    updated_at: ['timestamp with time zone', false, 'now()'],
    reservation_number: ['character varying(12)', false, null],
    idempotency_key: ['character varying(255)', true, null],
    request_hash: ['character varying(64)', true, null],
    hold_id: ['character varying(64)', true, null],
  },
};

export const SEED_INDEXES = [
  'idx_concerts_created_at',
  'idx_schedules_concert_id',
  'idx_schedules_date_time',
  'idx_schedules_concert_date',
  'idx_seats_schedule_id',
  'idx_seats_status',
  'idx_seats_schedule_status',
  'idx_seats_schedule_seat_unique',
  'idx_reservations_schedule_id',
  'idx_reservations_customer_phone',
  'idx_reservations_customer_email',
  'idx_reservations_status',
  'idx_reservations_created_at',
];

export interface SchemaSnapshot {
  columns: Record<string, Record<string, [string, boolean, string | null]>>;
  indexes: Record<string, string>;
  checks: string[];
  foreignKeys: string[];
  triggers: string[];
}

/** Reads the live schema back from the catalog, in the shapes EXPECTED_COLUMNS and the tests compare against. */
// biome-ignore lint/suspicious/noExplicitAny: catalog queries
export async function readSchema(db: Kysely<any>): Promise<SchemaSnapshot> {
  const cols = await sql<{
    table_name: string;
    column_name: string;
    type: string;
    nullable: boolean;
    def: string | null;
  }>`
    SELECT c.table_name, c.column_name, format_type(a.atttypid, a.atttypmod) AS type,
           c.is_nullable = 'YES' AS nullable, c.column_default AS def
    FROM information_schema.columns c
    JOIN pg_attribute a ON a.attrelid = (quote_ident(c.table_name))::regclass AND a.attname = c.column_name
    WHERE c.table_schema = current_schema()
      AND c.table_name IN ('concerts', 'schedules', 'seats', 'reservations')`.execute(db);
  const columns: SchemaSnapshot['columns'] = {};
  for (const r of cols.rows) {
    columns[r.table_name] ??= {};
    columns[r.table_name]![r.column_name] = [r.type, r.nullable, r.def];
  }
  const idx = await sql<{ indexname: string; indexdef: string }>`
    SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()`.execute(db);
  const checks = await sql<{ def: string }>`
    SELECT conrelid::regclass::text || ': ' || pg_get_constraintdef(oid) AS def
    FROM pg_constraint WHERE contype = 'c' AND connamespace = current_schema()::regnamespace`.execute(db);
  const fks = await sql<{ def: string }>`
    SELECT conrelid::regclass::text || ': ' || pg_get_constraintdef(oid) AS def
    FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace`.execute(db);
  const triggers = await sql<{ def: string }>`
    SELECT pg_get_triggerdef(t.oid) AS def FROM pg_trigger t WHERE NOT t.tgisinternal`.execute(db);
  return {
    columns,
    indexes: Object.fromEntries(idx.rows.map((r) => [r.indexname, r.indexdef])),
    checks: checks.rows.map((r) => r.def).sort(),
    foreignKeys: fks.rows.map((r) => r.def).sort(),
    triggers: triggers.rows.map((r) => r.def).sort(),
  };
}
