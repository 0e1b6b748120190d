import { sql } from 'kysely';
import type { DbOrTx } from '../db/database.ts';

const presaleColumns = ['p.id', 'p.concert_id', 'p.name', 'p.starts_at', 'p.ends_at', 'p.max_uses_per_code'] as const;

/** A concert's presale windows that end after `now`, earliest start first. */
export function listOpenPresales(db: DbOrTx, concertId: string, now: Date) {
  return db
    .selectFrom('presales as p')
    .select(presaleColumns)
    .where('p.concert_id', '=', concertId)
    .where('p.ends_at', '>', now)
    .orderBy('p.starts_at')
    .orderBy('p.id')
    .execute();
}

/** Every presale window of a concert with its code count and bookings made with its codes. */
export function listPresales(db: DbOrTx, concertId: string) {
  return db
    .selectFrom('presales as p')
    .leftJoin('presale_codes as c', 'c.presale_id', 'p.id')
    .select([
      ...presaleColumns,
      sql<string>`count(c.code)`.as('code_count'),
      sql<string>`coalesce(sum(c.uses), 0)`.as('used_count'),
    ])
    .where('p.concert_id', '=', concertId)
    .groupBy('p.id')
    .orderBy('p.starts_at')
    .orderBy('p.id')
    .execute();
}

export function findPresale(db: DbOrTx, presaleId: string) {
  return db.selectFrom('presales as p').select(presaleColumns).where('p.id', '=', presaleId).executeTakeFirst();
}

export function insertPresale(
  db: DbOrTx,
  row: { concertId: string; name: string; startsAt: Date; endsAt: Date; maxUsesPerCode: number },
) {
  return db
    .insertInto('presales')
    .values({
      concert_id: row.concertId,
      name: row.name,
      starts_at: row.startsAt,
      ends_at: row.endsAt,
      max_uses_per_code: row.maxUsesPerCode,
    })
    .returning(['id', 'concert_id', 'name', 'starts_at', 'ends_at', 'max_uses_per_code'])
    .executeTakeFirstOrThrow();
}

/** Inserts codes in chunks (one statement each); a code already in the window is skipped. Returns how many went in. */
export async function insertCodes(db: DbOrTx, presaleId: string, codes: string[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < codes.length; i += 10_000) {
    const result = await sql`
      INSERT INTO presale_codes (presale_id, code)
      SELECT ${presaleId}::uuid, code FROM unnest(${codes.slice(i, i + 10_000)}::varchar[]) AS code
      ON CONFLICT DO NOTHING`.execute(db);
    inserted += Number(result.numAffectedRows ?? 0n);
  }
  return inserted;
}

export function listCodes(db: DbOrTx, presaleId: string) {
  return db
    .selectFrom('presale_codes')
    .select(['code', 'uses'])
    .where('presale_id', '=', presaleId)
    .orderBy('code')
    .execute();
}

export async function deletePresale(db: DbOrTx, presaleId: string): Promise<boolean> {
  const result = await db.deleteFrom('presales').where('id', '=', presaleId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The code in these windows, with how often it may still be used. */
export function findCode(db: DbOrTx, presaleIds: string[], code: string) {
  if (presaleIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('presale_codes as c')
    .innerJoin('presales as p', 'p.id', 'c.presale_id')
    .select(['c.presale_id', 'c.uses', 'p.max_uses_per_code', 'p.ends_at'])
    .where('c.presale_id', 'in', presaleIds)
    .where('c.code', '=', code)
    .orderBy('p.ends_at')
    .execute();
}
