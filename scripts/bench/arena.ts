import { withClient } from './setup.ts';

export interface Arena {
  scheduleId: string;
  /** Seat ids per row, in position order. */
  rows: string[][];
}

/**
 * A performance of its own for one bench scenario: `rows` rows of `seatsPerRow` seats, all available, a month
 * ahead. Every scenario gets fresh seats, so no scenario runs out or trips over another's holds.
 */
export async function createArena(databaseUrl: string, rows: number, seatsPerRow: number): Promise<Arena> {
  return withClient(databaseUrl, async (client) => {
    const concert = await client.query<{ id: string }>(
      `INSERT INTO concerts (title, description, venue, timezone)
       VALUES ('Bench arena', 'npm run bench', 'Bench hall', 'Asia/Seoul') RETURNING id`,
    );
    const schedule = await client.query<{ id: string }>(
      `INSERT INTO schedules (concert_id, date_time) VALUES ($1, now() + interval '30 days') RETURNING id`,
      [concert.rows[0]!.id],
    );
    const scheduleId = schedule.rows[0]!.id;
    await client.query(
      `INSERT INTO seats (schedule_id, seat_number, section, row_label, position, grade, price, x, y)
       SELECT $1, 'R' || lpad(r::text, 4, '0') || '-' || lpad(p::text, 3, '0'), 'B', 'R' || r, p, 'R', 100000,
              p * 10, r * 12
       FROM generate_series(1, $2::int) r, generate_series(1, $3::int) p`,
      [scheduleId, rows, seatsPerRow],
    );
    const { rows: seats } = await client.query<{ id: string; row_label: string }>(
      'SELECT id, row_label FROM seats WHERE schedule_id = $1 ORDER BY y, position',
      [scheduleId],
    );
    const byRow = new Map<string, string[]>();
    for (const seat of seats) {
      const row = byRow.get(seat.row_label) ?? [];
      row.push(seat.id);
      byRow.set(seat.row_label, row);
    }
    return { scheduleId, rows: [...byRow.values()] };
  });
}

/**
 * Groups of `size` adjacent seats per row, left to right, that a buyer can take in order without ever stranding a
 * single seat (the orphan rule would refuse it): a group that would leave exactly one seat at the row's end is
 * left out.
 */
export function groupsOfRow(row: string[], size: number): string[][] {
  const groups: string[][] = [];
  for (let start = 0; start + size <= row.length; start += size) {
    if (row.length - (start + size) === 1) break;
    groups.push(row.slice(start, start + size));
  }
  return groups;
}
