import type { Db } from '../../server/src/db/database.ts';

export interface FixtureSection {
  grade: string;
  price: number;
  rows: number;
  seatsPerRow: number;
}

export interface Fixture {
  concertId: string;
  scheduleId: string;
  /** Seat ids by seat number, e.g. seats.A01. */
  seats: Record<string, string>;
  /** Seat ids of one row in position order. */
  row(label: string): string[];
}

function rowLabel(index: number): string {
  let label = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) label = String.fromCharCode(65 + ((n - 1) % 26)) + label;
  return label;
}

/** A concert with one performance `startsInMinutes` from now and a small hall (default: 3 rows R, 3 rows S of 10). */
export async function createFixture(
  db: Db,
  options: {
    title?: string;
    startsInMinutes?: number;
    sections?: FixtureSection[];
    concertId?: string;
    timezone?: string;
  } = {},
): Promise<Fixture> {
  const sections = options.sections ?? [
    { grade: 'R', price: 150_000, rows: 3, seatsPerRow: 10 },
    { grade: 'S', price: 120_000, rows: 3, seatsPerRow: 10 },
  ];
  const concertId =
    options.concertId ??
    (
      await db
        .insertInto('concerts')
        .values({
          title: options.title ?? '테스트 콘서트',
          description: '통합 테스트용 공연',
          poster_image_url: null,
          venue: '테스트 홀',
          timezone: options.timezone ?? 'Asia/Seoul',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const startsAt = new Date(Date.now() + (options.startsInMinutes ?? 7 * 24 * 60) * 60_000);
  const schedule = await db
    .insertInto('schedules')
    .values({ concert_id: concertId, date_time: startsAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  const rows: {
    schedule_id: string;
    seat_number: string;
    section: string;
    row_label: string;
    position: number;
    grade: string;
    price: number;
    x: number;
    y: number;
  }[] = [];
  let rowIndex = 0;
  for (const section of sections) {
    for (let r = 0; r < section.rows; r++, rowIndex++) {
      const label = rowLabel(rowIndex);
      for (let p = 1; p <= section.seatsPerRow; p++) {
        rows.push({
          schedule_id: schedule.id,
          seat_number: `${label}${String(p).padStart(2, '0')}`,
          section: section.grade,
          row_label: label,
          position: p,
          grade: section.grade,
          price: section.price,
          x: p * 10,
          y: rowIndex * 10,
        });
      }
    }
  }
  const seats: Record<string, string> = {};
  for (let i = 0; i < rows.length; i += 1000) {
    const inserted = await db
      .insertInto('seats')
      .values(rows.slice(i, i + 1000))
      .returning(['id', 'seat_number'])
      .execute();
    for (const s of inserted) seats[s.seat_number] = s.id;
  }
  return {
    concertId,
    scheduleId: schedule.id,
    seats,
    row: (label) =>
      Object.keys(seats)
        .filter((n) => n.replace(/\d+$/, '') === label)
        .sort()
        .map((n) => seats[n]!),
  };
}

export const customer = { name: '김민지', phone: '010-1234-5678', email: 'minji@example.com' };
