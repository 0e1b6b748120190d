import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../server/src/catalog/demo-data.ts';
import { createDatabase, type DatabaseHandle } from '../../server/src/db/connect.ts';
import { migrateToLatest } from '../../server/src/db/migrate.ts';
import { createTestDatabase, realServices } from '../support/services.ts';

const useReal = await realServices();
const now = new Date('2026-03-10T03:00:00Z'); // 12:00 KST

function demoSuite(name: string, open: () => Promise<{ url: string; drop?: () => Promise<void> }>) {
  describe(name, () => {
    let handle: DatabaseHandle;
    let url: string;
    let drop: (() => Promise<void>) | undefined;
    let first: Awaited<ReturnType<typeof seedDemoData>>;

    beforeAll(async () => {
      ({ url, drop } = await open());
      handle = await createDatabase({ DATABASE_URL: url, DATA_DIR: '.data' });
      await migrateToLatest(handle.db);
      // How fast seeding is belongs to the benchmarks, not to a test: CI machines vary.
      first = await seedDemoData(handle.db, { now });
    });
    afterAll(async () => {
      await handle?.close();
      await drop?.();
    });

    it('loads both seed concerts with venues, time zone and local posters', async () => {
      expect(first).toEqual({ seeded: true, concerts: 2, schedules: 8, seats: 4 * 2004 + 50_000 + 3 * 10_000 });
      const concerts = await handle.db
        .selectFrom('concerts')
        .select(['title', 'description', 'venue', 'timezone', 'poster_image_url'])
        .orderBy('created_at', 'desc')
        .execute();
      expect(concerts).toEqual([
        {
          title: 'BTS 월드 투어',
          description: 'BTS 글로벌 투어 서울 공연',
          venue: '서울월드컵경기장',
          timezone: 'Asia/Seoul',
          poster_image_url: '/posters/bts-tour.svg',
        },
        {
          title: '아이유 콘서트 2024',
          description: '아이유의 특별한 콘서트',
          venue: '올림픽공원 KSPO DOME',
          timezone: 'Asia/Seoul',
          poster_image_url: '/posters/iu-2024.svg',
        },
      ]);
    });

    it('schedules every concert in the future on 3+ local dates, one of them with 14:00 and 19:00 shows', async () => {
      const rows = await handle.db
        .selectFrom('schedules')
        .innerJoin('concerts', 'concerts.id', 'schedules.concert_id')
        .select(['concerts.title', 'schedules.date_time'])
        .orderBy('schedules.date_time')
        .execute();
      for (const title of ['아이유 콘서트 2024', 'BTS 월드 투어']) {
        const local = rows
          .filter((r) => r.title === title)
          .map((r) => DateTime.fromJSDate(r.date_time, { zone: 'Asia/Seoul' }));
        expect(local.every((d) => d.toMillis() > now.getTime())).toBe(true);
        const byDate = new Map<string, DateTime[]>();
        for (const d of local) byDate.set(d.toISODate()!, [...(byDate.get(d.toISODate()!) ?? []), d]);
        expect(byDate.size).toBeGreaterThanOrEqual(3);
        const hoursOnBusyDay = [...byDate.values()].find((d) => d.length === 2)?.map((d) => d.toFormat('HH:mm'));
        expect(hoursOnBusyDay).toEqual(['14:00', '19:00']);
      }
      expect(DateTime.fromJSDate(rows[0]!.date_time, { zone: 'Asia/Seoul' }).toISO()).toBe(
        '2026-03-24T19:00:00.000+09:00',
      );
    });

    it('gives each schedule its full layout: a 2,004-seat R/S/A hall and a 50,000-seat VIP/R/S/A stadium', async () => {
      const perSchedule = await handle.db
        .selectFrom('seats')
        .innerJoin('schedules', 'schedules.id', 'seats.schedule_id')
        .innerJoin('concerts', 'concerts.id', 'schedules.concert_id')
        .select((eb) => ['concerts.title', 'seats.grade', 'seats.price', eb.fn.countAll<number>().as('n')])
        .groupBy(['concerts.title', 'seats.schedule_id', 'seats.grade', 'seats.price'])
        .execute();
      const iu = perSchedule.filter((r) => r.title === '아이유 콘서트 2024');
      expect(new Set(iu.map((r) => `${r.grade}:${r.price}`))).toEqual(new Set(['R:150000', 'S:120000', 'A:90000']));
      expect(iu.reduce((s, r) => s + r.n, 0)).toBe(4 * 2004);
      const bts = perSchedule.filter((r) => r.title === 'BTS 월드 투어');
      expect(new Set(bts.map((r) => r.grade))).toEqual(new Set(['VIP', 'R', 'S', 'A', 'F']));
      const totals = await handle.db
        .selectFrom('seats')
        .select((eb) => ['schedule_id', eb.fn.countAll<number>().as('n')])
        .groupBy('schedule_id')
        .execute();
      expect(totals.map((t) => t.n).sort((a, b) => b - a)).toEqual([
        50_000, 10_000, 10_000, 10_000, 2004, 2004, 2004, 2004,
      ]);
      const sample = await handle.db
        .selectFrom('seats')
        .select(['seat_number', 'row_label', 'position', 'section', 'status'])
        .where('seat_number', '=', 'A01')
        .execute();
      expect(sample).toHaveLength(8);
      expect(sample[0]).toMatchObject({ row_label: 'A', position: 1, status: 'available' });
    });

    it('does nothing when concerts exist', async () => {
      expect(await seedDemoData(handle.db, { now })).toEqual({ seeded: false, concerts: 0, schedules: 0, seats: 0 });
      const count = await handle.db
        .selectFrom('concerts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .execute();
      expect(count[0]!.n).toBe(2);
    });
  });
}

demoSuite('demo data on PGlite', async () => ({ url: 'memory://' }));

describe.runIf(useReal)('real Postgres', () => {
  demoSuite('demo data on Postgres', createTestDatabase);

  it('seeds once when two nodes start at the same time', async () => {
    const tdb = await createTestDatabase();
    const a = await createDatabase({ DATABASE_URL: tdb.url, DATA_DIR: '.data' });
    const b = await createDatabase({ DATABASE_URL: tdb.url, DATA_DIR: '.data' });
    try {
      await Promise.all([migrateToLatest(a.db), migrateToLatest(b.db)]);
      const results = await Promise.all([seedDemoData(a.db, { now }), seedDemoData(b.db, { now })]);
      expect(results.map((r) => r.seeded).sort()).toEqual([false, true]);
      const n = await a.db
        .selectFrom('concerts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .execute();
      expect(n[0]!.n).toBe(2);
    } finally {
      await a.close();
      await b.close();
      await tdb.drop();
    }
  });
});
