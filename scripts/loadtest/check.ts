import pg from 'pg';
import type { ApiClient } from './api.ts';

export interface CheckResult {
  name: string;
  /** True when checked and it holds; false on a violation; null when it could not be checked. */
  ok: boolean | null;
  detail: string;
}

const SAMPLE = 5;
const sample = (ids: string[]) => ids.slice(0, SAMPLE).join(', ') + (ids.length > SAMPLE ? ` … (${ids.length})` : '');

/** SPEC §7.1 on the database itself: the seat ↔ confirmed reservation correspondence of one performance. */
export async function checkDatabase(
  databaseUrl: string,
  scheduleId: string,
): Promise<{ results: CheckResult[]; reserved: Set<string> | null }> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { results: [{ name: '§7.1 database', ok: null, detail: `cannot connect: ${message}` }], reserved: null };
  }
  try {
    // One snapshot for all three reads, so a booking committing meanwhile cannot look like a violation.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const doubles = await client.query<{ seat_id: string; n: number }>(
      `SELECT seat_id, count(*)::int AS n
         FROM reservations r, unnest(r.seat_ids) AS seat_id
        WHERE r.status = 'confirmed' AND r.schedule_id = $1
        GROUP BY seat_id HAVING count(*) > 1`,
      [scheduleId],
    );
    const mismatched = await client.query<{ id: string; status: string; booked: boolean }>(
      `SELECT s.id, s.status, b.seat_id IS NOT NULL AS booked
         FROM seats s
         LEFT JOIN (SELECT DISTINCT unnest(seat_ids) AS seat_id FROM reservations
                     WHERE status = 'confirmed' AND schedule_id = $1) b ON b.seat_id = s.id
        WHERE s.schedule_id = $1 AND (s.status = 'reserved') <> (b.seat_id IS NOT NULL)`,
      [scheduleId],
    );
    const reserved = await client.query<{ id: string }>(
      `SELECT id FROM seats WHERE schedule_id = $1 AND status = 'reserved'`,
      [scheduleId],
    );
    await client.query('COMMIT');
    const notBooked = mismatched.rows.filter((r) => !r.booked).map((r) => r.id);
    const notMarked = mismatched.rows.filter((r) => r.booked).map((r) => r.id);
    return {
      reserved: new Set(reserved.rows.map((r) => r.id)),
      results: [
        {
          name: '§7.1 no seat in two confirmed reservations',
          ok: doubles.rowCount === 0,
          detail: doubles.rowCount === 0 ? 'none' : `seats ${sample(doubles.rows.map((r) => r.seat_id))}`,
        },
        {
          name: "§7.1 seats.status='reserved' ⇔ in a confirmed reservation",
          ok: mismatched.rowCount === 0,
          detail:
            mismatched.rowCount === 0
              ? `${reserved.rowCount} reserved seats, all booked`
              : `reserved without a reservation: ${sample(notBooked)}; booked but not reserved: ${sample(notMarked)}`,
        },
      ],
    };
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * SPEC §7.3 from outside, once every hold of the run has ended or expired: no seat is still held on any node, and
 * each node's map shows exactly the database's reserved seats. Polls until `deadline` so a sweep in progress is
 * not mistaken for a leak.
 */
export async function checkSnapshots(
  apis: ApiClient[],
  scheduleId: string,
  reserved: Set<string> | null,
  deadline: number,
): Promise<CheckResult[]> {
  for (;;) {
    const results = await Promise.all(apis.map((api) => snapshotOf(api, scheduleId, reserved)));
    const failed = results.some((r) => r.ok === false);
    if (!failed || Date.now() >= deadline) return results;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function snapshotOf(api: ApiClient, scheduleId: string, reserved: Set<string> | null): Promise<CheckResult> {
  const name = `§7.3 no hold left, map = database (${api.baseUrl})`;
  const res = await api.seatMap(scheduleId);
  if (!res.data) return { name, ok: false, detail: `seat map: ${res.status} ${res.error?.code ?? ''}` };
  const held = res.data.seats.filter((s) => s.status === 'held').map((s) => s.id);
  const mapReserved = res.data.seats.filter((s) => s.status === 'reserved').map((s) => s.id);
  const problems: string[] = [];
  if (held.length) problems.push(`still held: ${sample(held)}`);
  if (reserved) {
    const extra = mapReserved.filter((id) => !reserved.has(id));
    const mapSet = new Set(mapReserved);
    const missing = [...reserved].filter((id) => !mapSet.has(id));
    if (extra.length) problems.push(`reserved on the map, not in the database: ${sample(extra)}`);
    if (missing.length) problems.push(`reserved in the database, not on the map: ${sample(missing)}`);
  }
  return {
    name,
    ok: problems.length === 0,
    detail: problems.length
      ? problems.join('; ')
      : `${mapReserved.length} reserved, ${res.data.seats.length - mapReserved.length} available${reserved ? ', matches the database' : ''}`,
  };
}
