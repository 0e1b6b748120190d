import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableText = ColumnType<string | null, string | null | undefined, string | null>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** Seed table `concerts` + venue and IANA time zone (SPEC §4), its own purchase limit (SPEC §11). */
export interface ConcertTable {
  id: Generated<string>;
  title: string;
  description: string | null;
  poster_image_url: string | null;
  venue: Generated<string>;
  timezone: Generated<string>;
  /** Null = the server's MAX_TICKETS_PER_PERSON; 0 = no limit. */
  max_tickets_per_person: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** Seed table `schedules` (one performance, 회차). */
export interface ScheduleTable {
  id: Generated<string>;
  concert_id: string;
  date_time: Timestamp;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** Seed table `seats` + section, row, position in row and x/y for drawing. */
export interface SeatTable {
  id: Generated<string>;
  schedule_id: string;
  seat_number: string;
  grade: string;
  price: number;
  status: Generated<'available' | 'reserved'>;
  section: Generated<string>;
  row_label: Generated<string>;
  position: Generated<number>;
  x: Generated<number>;
  y: Generated<number>;
  /** SPEC §12: a standing place of this area (its `position` is the entry number); null for a seat. */
  area_id: NullableText;
  accessible: Generated<boolean>;
  companion: Generated<boolean>;
  /** SPEC §12: not for sale (a kill or a house seat) with the box office's reason; null = for sale. */
  withheld_reason: NullableText;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** A standing area of one performance (SPEC §12); its places are rows of `seats` with `area_id`. */
export interface StandingAreaTable {
  id: Generated<string>;
  schedule_id: string;
  name: string;
  grade: string;
  price: number;
  capacity: number;
  x: number;
  y: number;
  width: number;
  height: number;
  sort_order: number;
  created_at: Generated<Date>;
}

/** A presale window of a concert (SPEC §12). */
export interface PresaleTable {
  id: Generated<string>;
  concert_id: string;
  name: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  max_uses_per_code: number;
  created_at: Generated<Date>;
}

/** An access code of a presale window; `uses` = bookings made with it (counted by the booking statement). */
export interface PresaleCodeTable {
  presale_id: string;
  code: string;
  uses: Generated<number>;
}

/** Seed table `reservations` + reservation number, idempotency key and request hash, hold id (fence). */
export interface ReservationTable {
  id: Generated<string>;
  schedule_id: string;
  seat_ids: string[];
  total_price: number;
  customer_name: string;
  /** Digits only. */
  customer_phone: string;
  customer_email: string | null;
  status: Generated<'confirmed' | 'cancelled'>;
  reservation_number: string;
  idempotency_key: string | null;
  request_hash: string | null;
  hold_id: string | null;
  created_at: Generated<Date>;
  cancelled_at: NullableTimestamp;
  updated_at: Generated<Date>;
}

/** Waiting-room settings per concert (SPEC §10); the queue's live state is in the queue store. */
export interface ConcertQueueTable {
  concert_id: string;
  enabled: boolean;
  opens_at: Timestamp;
  admit_per_minute: number;
  max_active: number;
  session_minutes: number;
  challenge_bits: number;
  paused: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

/**
 * Confirmed seats per person per performance (SPEC §11), kept by the booking statement and cancellations.
 * `person` is `phone:<digits>` or `email:<lowercased>`.
 */
export interface PurchaseTallyTable {
  schedule_id: string;
  person: string;
  seats: number;
}

export type Concert = Selectable<ConcertTable>;
export type NewConcert = Insertable<ConcertTable>;
export type Schedule = Selectable<ScheduleTable>;
export type NewSchedule = Insertable<ScheduleTable>;
export type SeatRow = Selectable<SeatTable>;
export type NewSeat = Insertable<SeatTable>;
export type ReservationRow = Selectable<ReservationTable>;
export type NewReservation = Insertable<ReservationTable>;
export type ReservationUpdate = Updateable<ReservationTable>;
export type ConcertQueueRow = Selectable<ConcertQueueTable>;
