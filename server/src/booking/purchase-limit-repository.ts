import type { DbOrTx } from '../db/database.ts';

export function findConcertLimit(db: DbOrTx, concertId: string) {
  return db.selectFrom('concerts').select('max_tickets_per_person').where('id', '=', concertId).executeTakeFirst();
}

export function setConcertLimit(db: DbOrTx, concertId: string, limit: number | null) {
  return db
    .updateTable('concerts')
    .set({ max_tickets_per_person: limit })
    .where('id', '=', concertId)
    .returning('max_tickets_per_person')
    .executeTakeFirst();
}
