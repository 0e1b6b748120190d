import type { Db, DbOrTx } from '../db/database.ts';
import type { ConcertQueueRow } from '../db/tables.ts';

export interface QueueConfigValues {
  enabled: boolean;
  opensAt: Date;
  admitPerMinute: number;
  maxActive: number;
  sessionMinutes: number;
  challengeBits: number;
}

export function listQueueConfigs(db: DbOrTx): Promise<ConcertQueueRow[]> {
  return db.selectFrom('concert_queues').selectAll().execute();
}

export async function findQueueConfig(db: DbOrTx, concertId: string): Promise<ConcertQueueRow | null> {
  return (
    (await db.selectFrom('concert_queues').selectAll().where('concert_id', '=', concertId).executeTakeFirst()) ?? null
  );
}

/** Insert or replace the settings; `paused` is kept (it has its own PATCH). */
export function upsertQueueConfig(db: Db, concertId: string, values: QueueConfigValues): Promise<ConcertQueueRow> {
  const row = {
    enabled: values.enabled,
    opens_at: values.opensAt,
    admit_per_minute: values.admitPerMinute,
    max_active: values.maxActive,
    session_minutes: values.sessionMinutes,
    challenge_bits: values.challengeBits,
    updated_at: new Date(),
  };
  return db
    .insertInto('concert_queues')
    .values({ concert_id: concertId, ...row })
    .onConflict((oc) => oc.column('concert_id').doUpdateSet(row))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setQueuePaused(db: Db, concertId: string, paused: boolean): Promise<ConcertQueueRow | null> {
  return (
    (await db
      .updateTable('concert_queues')
      .set({ paused, updated_at: new Date() })
      .where('concert_id', '=', concertId)
      .returningAll()
      .executeTakeFirst()) ?? null
  );
}

export async function concertExists(db: DbOrTx, concertId: string): Promise<boolean> {
  return (await db.selectFrom('concerts').select('id').where('id', '=', concertId).executeTakeFirst()) !== undefined;
}
