import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../server/src/db/connect.ts';
import type { Database } from '../../server/src/db/database.ts';
import { migrateToLatest } from '../../server/src/db/migrate.ts';
import { createTestDatabase, realServices } from '../support/services.ts';
import { EXPECTED_COLUMNS, readSchema, SEED_INDEXES } from './schema-check.ts';

const useReal = await realServices();

function schemaSuite(name: string, open: () => Promise<{ handle: DatabaseHandle; drop?: () => Promise<void> }>) {
  describe(name, () => {
    let handle: DatabaseHandle;
    let drop: (() => Promise<void>) | undefined;
    let db: Kysely<Database>;
    let firstRun: string[];

    beforeAll(async () => {
      ({ handle, drop } = await open());
      db = handle.db;
      firstRun = (await migrateToLatest(db)).map((r) => `${r.migrationName}:${r.status}`);
    });
    afterAll(async () => {
      await handle?.close();
      await drop?.();
    });

    it('applies every migration once, and a second run is a no-op', async () => {
      expect(firstRun).toEqual([
        '20261125000000-seed-schema:Success',
        '20261125000100-product-columns:Success',
        '20261125000200-booking-guard:Success',
        '20261201000000-concert-queues:Success',
        '20261202010000-purchase-limits:Success',
        '20261202020000-retention-archive:Success',
        '20261202030000-venue-inventory:Success',
      ]);
      expect(await migrateToLatest(db)).toEqual([]);
    });

    it('has every seed column with its type, nullability and default, plus the SPEC §4 columns', async () => {
      expect((await readSchema(db)).columns).toEqual(EXPECTED_COLUMNS);
    });

    it('has every seed index by name, the unique seat index, and the added unique keys', async () => {
      const { indexes } = await readSchema(db);
      for (const name of SEED_INDEXES) expect(indexes[name], name).toBeDefined();
      expect(indexes.idx_seats_schedule_seat_unique).toMatch(/CREATE UNIQUE INDEX .* \(schedule_id, seat_number\)/);
      expect(indexes.idx_schedules_concert_date).toMatch(/\(concert_id, date_time\)/);
      expect(indexes.idx_seats_schedule_status).toMatch(/\(schedule_id, status\)/);
      expect(indexes.idx_seats_schedule_row).toMatch(/\(schedule_id, row_label, "?position"?\)/);
      for (const key of ['reservation_number', 'idempotency_key', 'hold_id']) {
        expect(indexes[`reservations_${key}_key`]).toMatch(new RegExp(`CREATE UNIQUE INDEX .*\\(${key}\\)`));
      }
    });

    it('has the status CHECKs and the FK actions of the seed', async () => {
      const { checks, foreignKeys } = await readSchema(db);
      expect(checks).toHaveLength(2);
      expect(checks[0]).toMatch(/^reservations: CHECK .*'confirmed'.*'cancelled'/);
      expect(checks[1]).toMatch(/^seats: CHECK .*'available'.*'reserved'/);
      expect(foreignKeys).toEqual([
        'concert_queues: FOREIGN KEY (concert_id) REFERENCES concerts(id) ON DELETE CASCADE',
        'presale_codes: FOREIGN KEY (presale_id) REFERENCES presales(id) ON DELETE CASCADE',
        'presales: FOREIGN KEY (concert_id) REFERENCES concerts(id) ON DELETE CASCADE',
        'purchase_tallies: FOREIGN KEY (schedule_id) REFERENCES schedules(id) ON DELETE CASCADE',
        'reservations: FOREIGN KEY (schedule_id) REFERENCES schedules(id) ON DELETE RESTRICT',
        'schedules: FOREIGN KEY (concert_id) REFERENCES concerts(id) ON DELETE CASCADE',
        'seats: FOREIGN KEY (area_id) REFERENCES standing_areas(id) ON DELETE CASCADE',
        'seats: FOREIGN KEY (schedule_id) REFERENCES schedules(id) ON DELETE CASCADE',
        'standing_areas: FOREIGN KEY (schedule_id) REFERENCES schedules(id) ON DELETE CASCADE',
      ]);
    });

    it('has the four updated_at triggers, and they fire', async () => {
      const { triggers } = await readSchema(db);
      expect(triggers).toEqual(
        ['concerts', 'reservations', 'schedules', 'seats'].map(
          (t) =>
            `CREATE TRIGGER update_${t}_updated_at BEFORE UPDATE ON public.${t} FOR EACH ROW EXECUTE FUNCTION update_updated_at_column()`,
        ),
      );
      const old = new Date('2020-01-01T00:00:00Z');
      const concert = await db
        .insertInto('concerts')
        .values({ title: 'trigger probe', created_at: old, updated_at: old })
        .returning(['id', 'venue', 'timezone'])
        .executeTakeFirstOrThrow();
      expect(concert).toMatchObject({ venue: '', timezone: 'Asia/Seoul' });
      await db.updateTable('concerts').set({ title: 'trigger probe 2' }).where('id', '=', concert.id).execute();
      const row = await db
        .selectFrom('concerts')
        .select('updated_at')
        .where('id', '=', concert.id)
        .executeTakeFirstOrThrow();
      expect(row.updated_at.getTime()).toBeGreaterThan(old.getTime());
    });

    it('enforces the checks, the unique seat number and RESTRICT/CASCADE deletes', async () => {
      const concert = await db
        .insertInto('concerts')
        .values({ title: 'fk probe' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const schedule = await db
        .insertInto('schedules')
        .values({ concert_id: concert.id, date_time: new Date() })
        .returning('id')
        .executeTakeFirstOrThrow();
      const seat = { schedule_id: schedule.id, seat_number: 'A01', grade: 'R', price: 1000 };
      const inserted = await db.insertInto('seats').values(seat).returning(['id', 'status']).executeTakeFirstOrThrow();
      expect(inserted.status).toBe('available');
      await expect(db.insertInto('seats').values(seat).execute()).rejects.toMatchObject({ code: '23505' });
      await expect(sql`UPDATE seats SET status = 'held' WHERE id = ${inserted.id}`.execute(db)).rejects.toMatchObject({
        code: '23514',
      });
      await db
        .insertInto('reservations')
        .values({
          schedule_id: schedule.id,
          seat_ids: [inserted.id],
          total_price: 1000,
          customer_name: '홍길동',
          customer_phone: '01012345678',
          reservation_number: 'ABCD2345EF',
        })
        .execute();
      await expect(db.deleteFrom('schedules').where('id', '=', schedule.id).execute()).rejects.toMatchObject({
        code: '23503',
      });
      await db.deleteFrom('reservations').where('schedule_id', '=', schedule.id).execute();
      await db.deleteFrom('concerts').where('id', '=', concert.id).execute();
      const left = await db.selectFrom('seats').select('id').where('schedule_id', '=', schedule.id).execute();
      expect(left).toEqual([]);
    });
  });
}

schemaSuite('migrations on PGlite', async () => ({
  handle: await createDatabase({ DATABASE_URL: 'memory://', DATA_DIR: '.data' }),
}));

describe.runIf(useReal)('real Postgres', () => {
  schemaSuite('migrations on Postgres', async () => {
    const tdb = await createTestDatabase();
    return { handle: await createDatabase({ DATABASE_URL: tdb.url, DATA_DIR: '.data' }), drop: tdb.drop };
  });
});
