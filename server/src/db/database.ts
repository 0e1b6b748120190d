import type { Kysely, Transaction } from 'kysely';
import type {
  ConcertQueueTable,
  ConcertTable,
  PresaleCodeTable,
  PresaleTable,
  PurchaseTallyTable,
  ReservationTable,
  ScheduleTable,
  SeatTable,
  StandingAreaTable,
} from './tables.ts';

export interface Database {
  concerts: ConcertTable;
  schedules: ScheduleTable;
  seats: SeatTable;
  reservations: ReservationTable;
  concert_queues: ConcertQueueTable;
  purchase_tallies: PurchaseTallyTable;
  standing_areas: StandingAreaTable;
  presales: PresaleTable;
  presale_codes: PresaleCodeTable;
}

export type Db = Kysely<Database>;
/** Repositories accept either the pool or an open transaction. */
export type DbOrTx = Kysely<Database> | Transaction<Database>;
