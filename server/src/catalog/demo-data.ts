import { setTimeout as delay } from 'node:timers/promises';
import { generateSeats, type LayoutSection } from '@seatmap/shared';
import { sql } from 'kysely';
import { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import { insertPerformance, type PerformanceLayout } from './seat-repository.ts';

const TIMEZONE = 'Asia/Seoul';

const blocks = (prefix: string, count: number, grade: string, price: number, rows: number, seatsPerRow: number) =>
  Array.from({ length: count }, (_, i) => ({ name: `${prefix}${i + 1}`, grade, price, rows, seatsPerRow }));

/** KSPO DOME as a 2,004-seat hall: R nearest the stage, then S, then A. */
export const HALL_LAYOUT: LayoutSection[] = [
  ...blocks('R', 3, 'R', 150_000, 12, 20),
  ...blocks('S', 3, 'S', 120_000, 10, 22),
  ...blocks('A', 2, 'A', 90_000, 12, 26),
];

/**
 * The hall with wheelchair spaces (SPEC §12): in the last row of each R section, the two seats at each end are
 * accessible and the two next to them are their companion seats.
 */
function hallWithAccessibleSeats(): PerformanceLayout {
  const seats = generateSeats(HALL_LAYOUT);
  const accessibleSeats: string[] = [];
  const companionSeats: string[] = [];
  for (const section of HALL_LAYOUT.filter((s) => s.grade === 'R')) {
    const lastRow = seats.filter((s) => s.section === section.name).at(-1)!.rowLabel;
    const row = seats.filter((s) => s.rowLabel === lastRow);
    const n = row.length;
    for (const i of [0, 1, n - 2, n - 1]) accessibleSeats.push(row[i]!.seatNumber);
    for (const i of [2, 3, n - 4, n - 3]) companionSeats.push(row[i]!.seatNumber);
  }
  return { sections: HALL_LAYOUT, accessibleSeats, companionSeats };
}

/** 서울월드컵경기장, full: VIP floor, R/S/A stands — 50,000 seats. */
export const STADIUM_LAYOUT: LayoutSection[] = [
  ...blocks('VIP', 4, 'VIP', 220_000, 25, 30),
  ...blocks('R', 12, 'R', 180_000, 25, 50),
  ...blocks('S', 16, 'S', 150_000, 25, 50),
  ...blocks('A', 12, 'A', 110_000, 20, 50),
];

/** The same stadium with only the floor and the lower stands sold (10,000 seats), for the extra shows. */
export const STADIUM_LOWER_LAYOUT: LayoutSection[] = [
  ...blocks('VIP', 4, 'VIP', 220_000, 25, 30),
  ...blocks('R', 14, 'R', 180_000, 10, 50),
];

/**
 * The lower stadium with a standing floor (SPEC §12): the back two VIP blocks become a 1,500-place standing area
 * (numbered entry); every other section stays where the lower stadium has it (placed explicitly).
 */
function stadiumWithStandingFloor(): PerformanceLayout {
  const seats = generateSeats(STADIUM_LOWER_LAYOUT);
  const corner = (name: string) => {
    const first = seats.find((s) => s.section === name)!;
    return { x: first.x, y: first.y };
  };
  const dropped = ['VIP3', 'VIP4'];
  const floor = dropped.map(corner);
  const last = seats.filter((s) => s.section === 'VIP4').at(-1)!;
  return {
    sections: STADIUM_LOWER_LAYOUT.filter((s) => !dropped.includes(s.name)).map((s) => ({ ...s, ...corner(s.name) })),
    areas: [
      {
        name: 'FLOOR',
        grade: 'F',
        price: 198_000,
        capacity: 1_500,
        x: floor[0]!.x,
        y: floor[0]!.y,
        width: last.x - floor[0]!.x + 1,
        height: last.y - floor[0]!.y + 1,
      },
    ],
  };
}

interface DemoShow {
  /** Days after `now` (venue-local date). */
  day: number;
  hour: number;
  layout: PerformanceLayout;
}

interface DemoConcert {
  title: string;
  description: string;
  posterImageUrl: string;
  venue: string;
  shows: DemoShow[];
}

// The seed's two concerts, moved into the future; the second of each pair of shows on one day is a matinee.
const CONCERTS: DemoConcert[] = [
  {
    title: '아이유 콘서트 2024',
    description: '아이유의 특별한 콘서트',
    posterImageUrl: '/posters/iu-2024.svg',
    venue: '올림픽공원 KSPO DOME',
    shows: [
      { day: 14, hour: 19, layout: hallWithAccessibleSeats() },
      { day: 15, hour: 14, layout: hallWithAccessibleSeats() },
      { day: 15, hour: 19, layout: hallWithAccessibleSeats() },
      { day: 21, hour: 19, layout: hallWithAccessibleSeats() },
    ],
  },
  {
    title: 'BTS 월드 투어',
    description: 'BTS 글로벌 투어 서울 공연',
    posterImageUrl: '/posters/bts-tour.svg',
    venue: '서울월드컵경기장',
    shows: [
      { day: 28, hour: 19, layout: { sections: STADIUM_LAYOUT } },
      { day: 29, hour: 14, layout: { sections: STADIUM_LOWER_LAYOUT } },
      { day: 29, hour: 19, layout: stadiumWithStandingFloor() },
      { day: 30, hour: 18, layout: { sections: STADIUM_LOWER_LAYOUT } },
    ],
  },
];

export interface DemoSeedResult {
  seeded: boolean;
  concerts: number;
  schedules: number;
  seats: number;
}

/** How often a node that found another node seeding looks again (the seeder's transaction may take seconds). */
const SEED_LOCK_POLL_MS = 100;

/**
 * Loads the demo concerts when the database has none. All or nothing in one transaction; an advisory lock
 * makes nodes starting together seed once. The lock is tried, not awaited: seeding the stadium can outlast the
 * statement timeout on a busy machine, so a node that finds the lock taken lets go and looks again, and then
 * sees the other node's concerts.
 */
export async function seedDemoData(db: Db, { now }: { now: Date }): Promise<DemoSeedResult> {
  for (;;) {
    const result = await seedUnderLock(db, now);
    if (result) return result;
    await delay(SEED_LOCK_POLL_MS);
  }
}

/** Seeds while holding the advisory lock; undefined when another node holds it. */
function seedUnderLock(db: Db, now: Date): Promise<DemoSeedResult | undefined> {
  return db.transaction().execute(async (trx) => {
    const lock = await sql<{ locked: boolean }>`
      SELECT pg_try_advisory_xact_lock(hashtext('seatmap:demo-data')) AS locked`.execute(trx);
    if (!lock.rows[0]?.locked) return undefined;
    const existing = await trx
      .selectFrom('concerts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    const result: DemoSeedResult = { seeded: false, concerts: 0, schedules: 0, seats: 0 };
    if (Number(existing?.n ?? 0) > 0) return result;

    const today = DateTime.fromJSDate(now, { zone: TIMEZONE }).startOf('day');
    for (const [i, concert] of CONCERTS.entries()) {
      const { id: concertId } = await trx
        .insertInto('concerts')
        .values({
          title: concert.title,
          description: concert.description,
          poster_image_url: concert.posterImageUrl,
          venue: concert.venue,
          timezone: TIMEZONE,
          // Distinct creation times keep "newest first" stable: the later concert in the list is newer.
          created_at: new Date(now.getTime() - (CONCERTS.length - i) * 60_000),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      result.concerts++;
      for (const show of concert.shows) {
        const dateTime = today.plus({ days: show.day }).set({ hour: show.hour }).toJSDate();
        const { totalSeats } = await insertPerformance(trx, concertId, dateTime, show.layout);
        result.schedules++;
        result.seats += totalSeats;
      }
    }
    result.seeded = true;
    return result;
  });
}
