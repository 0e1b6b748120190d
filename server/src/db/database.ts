import type { Kysely, Transaction } from 'kysely';
import type {
  ConcertQueueTable,
  ConcertTable,
  PurchaseTallyTable,
  ReservationTable,
  ScheduleTable,
  SeatTable,
} from './tables.ts';

export interface Database {
  concerts: ConcertTable;
  schedules: ScheduleTable;
  seats: SeatTable;
  reservations: ReservationTable;
  concert_queues: ConcertQueueTable;
  purchase_tallies: PurchaseTallyTable;
}

export type Db = Kysely<Database>;
/** Repositories accept either the pool or an open transaction. */
export type DbOrTx = Kysely<Database> | Transaction<Database>;
