import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { cursor } from './seat-pools.ts';

export interface SqlPathResult {
  perSecond: number;
  bookings: number;
  failed: number;
  roundTrips: number;
}

type Booker = (client: pg.PoolClient, scheduleId: string, seatIds: string[], key: string) => Promise<boolean>;

const number = () => randomBytes(8).toString('hex').slice(0, 10).toUpperCase();
const SELECT_BY_KEY = `SELECT r.id FROM reservations r JOIN schedules s ON s.id = r.schedule_id
  JOIN concerts c ON c.id = s.concert_id WHERE r.idempotency_key = $1`;
const INSERT = `INSERT INTO reservations (schedule_id, seat_ids, total_price, customer_name, customer_phone,
  customer_email, reservation_number, idempotency_key, request_hash, hold_id)
  VALUES ($1, $2, $3, '벤치', '01012345678', NULL, $4, $5, 'h', $6) RETURNING *`;

/** Today's sequence (reservation-service.ts): key lookup, then BEGIN, lock, insert, mark, COMMIT — 6 round trips. */
const current: Booker = async (client, scheduleId, seatIds, key) => {
  await client.query(SELECT_BY_KEY, [key]);
  await client.query('BEGIN');
  try {
    const locked = await client.query<{ price: number; status: string }>(
      'SELECT id, seat_number, grade, price, status FROM seats WHERE schedule_id = $1 AND id = ANY($2) ORDER BY id FOR UPDATE',
      [scheduleId, seatIds],
    );
    if (locked.rowCount !== seatIds.length || locked.rows.some((r) => r.status !== 'available')) {
      await client.query('ROLLBACK');
      return false;
    }
    const total = locked.rows.reduce((sum, r) => sum + r.price, 0);
    await client.query(INSERT, [scheduleId, seatIds, total, number(), key, randomUUID()]);
    const updated = await client.query(
      `UPDATE seats SET status = 'reserved' WHERE id = ANY($1) AND status = 'available'`,
      [seatIds],
    );
    if (updated.rowCount !== seatIds.length) {
      await client.query('ROLLBACK');
      return false;
    }
    await client.query('COMMIT');
    return true;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
};

/**
 * The proposal: one statement (atomic on its own, no BEGIN/COMMIT) that locks, checks, inserts and marks; the
 * Idempotency-Key is only looked up when the insert hits its unique constraint (not exercised here).
 */
const oneStatement: Booker = async (client, scheduleId, seatIds, key) => {
  const result = await client.query<{ id: string | null; updated: number }>(
    `WITH locked AS (
       SELECT id, price, status FROM seats WHERE schedule_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE
     ), checked AS (
       SELECT count(*) = cardinality($2::uuid[]) AND bool_and(status = 'available') AS ok, sum(price)::int AS total
         FROM locked
     ), ins AS (
       INSERT INTO reservations (schedule_id, seat_ids, total_price, customer_name, customer_phone, customer_email,
                                 reservation_number, idempotency_key, request_hash, hold_id)
       SELECT $1, $2::uuid[], total, '벤치', '01012345678', NULL, $3, $4, 'h', $5 FROM checked WHERE ok
       RETURNING id
     ), upd AS (
       UPDATE seats SET status = 'reserved'
        WHERE id = ANY($2::uuid[]) AND status = 'available' AND EXISTS (SELECT 1 FROM ins)
        RETURNING id
     )
     SELECT (SELECT id FROM ins) AS id, (SELECT count(*)::int FROM upd) AS updated`,
    [scheduleId, seatIds, number(), key, randomUUID()],
  );
  const row = result.rows[0]!;
  // A partial update cannot happen here (the rows are locked), but the real code would raise to roll back.
  return row.id !== null && row.updated === seatIds.length;
};

async function drive(
  databaseUrl: string,
  book: Booker,
  scheduleId: string,
  pairs: string[][],
  clients: number,
  poolSize: number,
  seconds: number,
) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  const seats = cursor(pairs);
  let bookings = 0;
  let failed = 0;
  const start = performance.now();
  const stopAt = start + seconds * 1000;
  try {
    await Promise.all(
      Array.from({ length: clients }, async () => {
        for (let pair = seats.take(); pair && performance.now() < stopAt; pair = seats.take()) {
          const client = await pool.connect();
          try {
            if (await book(client, scheduleId, pair, randomUUID())) bookings++;
            else failed++;
          } finally {
            client.release();
          }
        }
      }),
    );
  } finally {
    await pool.end();
  }
  return { bookings, failed, perSecond: bookings / ((performance.now() - start) / 1000) };
}

/**
 * Before/after for the proposed one-round-trip booking, at the SQL level with `pg` (no HTTP, no Redis): the same
 * client count, the same 10-connection pool as the server, distinct seats of the real schema.
 */
export async function benchBookingSql(options: {
  databaseUrl: string;
  scheduleId: string;
  pairs: string[][];
  clients: number;
  seconds: number;
  poolSize?: number;
}): Promise<{ current: SqlPathResult; oneStatement: SqlPathResult }> {
  const half = Math.floor(options.pairs.length / 2);
  const pool = options.poolSize ?? 10;
  const a = await drive(
    options.databaseUrl,
    current,
    options.scheduleId,
    options.pairs.slice(0, half),
    options.clients,
    pool,
    options.seconds,
  );
  const b = await drive(
    options.databaseUrl,
    oneStatement,
    options.scheduleId,
    options.pairs.slice(half),
    options.clients,
    pool,
    options.seconds,
  );
  return { current: { ...a, roundTrips: 6 }, oneStatement: { ...b, roundTrips: 1 } };
}
