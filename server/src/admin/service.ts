import {
  type AdminConcert,
  type AdminReservation,
  type AdminSchedule,
  type CreateConcertBody,
  type CreateScheduleBody,
  formatPhone,
  generateSeats,
  sectionPlacement,
} from '@seatmap/shared';
import { ticketsOf } from '../booking/reservation-answer.ts';
import type { SeatLayouts } from '../catalog/seat-layouts.ts';
import { insertPerformance } from '../catalog/seat-repository.ts';
import type { Db } from '../db/database.ts';
import type { Concert } from '../db/tables.ts';
import { inTransaction } from '../db/transaction.ts';
import { AppError, concertNotFound, scheduleNotFound } from '../errors.ts';
import { isoInZone } from '../time.ts';
import * as repo from './repository.ts';

/** A performance bigger than the largest stadium is a typo, not a venue. */
export const MAX_SEATS_PER_SCHEDULE = 100_000;

const invalid = (path: string, message: string) =>
  new AppError(400, 'VALIDATION_FAILED', 'The request is not valid', { issues: [{ path, message }] });

function toConcert(row: Omit<Concert, 'updated_at' | 'max_tickets_per_person'>): AdminConcert {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    posterImageUrl: row.poster_image_url,
    venue: row.venue,
    timezone: row.timezone,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/**
 * Checks what the schema cannot: a future start, one price per grade (sections and standing areas alike), a sane
 * size, sections placed all by hand or all automatically without two seats on one spot, and seat flags that name
 * seats of the layout (SPEC §12).
 */
function checkSchedule(body: CreateScheduleBody, now: Date): void {
  if (new Date(body.dateTime).getTime() <= now.getTime()) {
    throw invalid('body.dateTime', 'must be in the future');
  }
  const { sections, areas = [], accessibleSeats = [], companionSeats = [] } = body.layout;
  const prices = new Map<string, number>();
  const priced = [
    ...sections.map((s, i) => ({ ...s, path: `body.layout.sections.${i}.price` })),
    ...areas.map((a, i) => ({ ...a, path: `body.layout.areas.${i}.price` })),
  ];
  for (const { grade, price: p, path } of priced) {
    const price = prices.get(grade);
    if (price !== undefined && price !== p) {
      // Stats and the seat map show one price per grade; two prices would need two grades.
      throw invalid(path, `grade ${grade} already has the price ${price}`);
    }
    prices.set(grade, p);
  }
  const tickets = sections.reduce((n, s) => n + s.rows * s.seatsPerRow, 0) + areas.reduce((n, a) => n + a.capacity, 0);
  if (tickets > MAX_SEATS_PER_SCHEDULE) {
    throw invalid(
      'body.layout.sections',
      `at most ${MAX_SEATS_PER_SCHEDULE} seats and standing places per performance (got ${tickets})`,
    );
  }
  if (sectionPlacement(sections) === 'mixed') {
    throw invalid('body.layout.sections', 'give x and y for every section, or for none (automatic layout)');
  }
  const seats = generateSeats(sections);
  const spots = new Set<string>();
  for (const seat of seats) {
    const spot = `${seat.x},${seat.y}`;
    if (spots.has(spot)) throw invalid('body.layout.sections', `two sections overlap at seat ${seat.seatNumber}`);
    spots.add(spot);
  }
  const numbers = new Set(seats.map((seat) => seat.seatNumber));
  for (const [key, list] of [
    ['accessibleSeats', accessibleSeats],
    ['companionSeats', companionSeats],
  ] as const) {
    const unknown = list.find((n) => !numbers.has(n));
    if (unknown !== undefined) throw invalid(`body.layout.${key}`, `no seat ${unknown} in this layout`);
  }
  const companions = new Set(companionSeats);
  const both = accessibleSeats.find((n) => companions.has(n));
  if (both !== undefined) throw invalid('body.layout.companionSeats', `seat ${both} cannot be both kinds`);
}

/** Box-office set-up and reports: concerts, performances with their generated seats, reservation lists. */
export function createAdminService(deps: { db: Db; layouts: SeatLayouts; now: () => Date }) {
  const { db, layouts, now } = deps;

  return {
    async createConcert(body: CreateConcertBody): Promise<AdminConcert> {
      const row = await repo.insertConcert(db, {
        title: body.title,
        description: body.description ?? null,
        poster_image_url: body.posterImageUrl ?? null,
        venue: body.venue,
        ...(body.timezone ? { timezone: body.timezone } : {}),
      });
      return toConcert(row);
    },

    async listConcerts() {
      const rows = await repo.listConcerts(db);
      return {
        concerts: rows.map((r) => ({ ...toConcert(r), scheduleCount: Number(r.schedule_count) })),
      };
    },

    /** The performance and all its seats in one transaction: it never exists half-built. */
    async createSchedule(concertId: string, body: CreateScheduleBody): Promise<AdminSchedule> {
      checkSchedule(body, now());
      return inTransaction(db, async (trx) => {
        const concert = await repo.findConcert(trx, concertId);
        if (!concert) throw concertNotFound();
        const { schedule, totalSeats } = await insertPerformance(trx, concertId, new Date(body.dateTime), body.layout);
        return {
          id: schedule.id,
          concertId,
          dateTime: isoInZone(new Date(schedule.date_time), concert.timezone),
          totalSeats,
        };
      });
    },

    async listSchedules(concertId: string): Promise<{ schedules: AdminSchedule[] }> {
      const concert = await repo.findConcert(db, concertId);
      if (!concert) throw concertNotFound();
      const rows = await repo.listSchedules(db, concertId);
      return {
        schedules: rows.map((r) => ({
          id: r.id,
          concertId: r.concert_id,
          dateTime: isoInZone(new Date(r.date_time), concert.timezone),
          totalSeats: Number(r.total_seats),
        })),
      };
    },

    async reservations(scheduleId: string, options: { since?: Date; limit?: number } = {}) {
      const layout = await layouts.get(scheduleId);
      if (!layout) throw scheduleNotFound();
      const rows = await repo.listReservations(db, scheduleId, options);
      const reservations: AdminReservation[] = rows.map((r) => ({
        reservationNumber: r.reservation_number,
        status: r.status,
        customer: { name: r.customer_name, phone: formatPhone(r.customer_phone), email: r.customer_email },
        ...ticketsOf(layout, r.seat_ids),
        totalPrice: r.total_price,
        createdAt: new Date(r.created_at).toISOString(),
        cancelledAt: r.cancelled_at ? new Date(r.cancelled_at).toISOString() : null,
      }));
      return { scheduleId, layout, reservations };
    },
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
