import { normalizePhone, type PurchaseLimit } from '@seatmap/shared';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { AppError, concertNotFound } from '../errors.ts';
import * as repo from './purchase-limit-repository.ts';

/**
 * The tallies one booking counts against (SPEC §11): the normalised phone, and the email when given — so a second
 * phone with the same email, or the same phone with another email, still adds up. Sorted: every statement that
 * locks tallies takes them in one order.
 */
export function personsOf(customer: { phone: string; email?: string | null }): string[] {
  const persons = [`phone:${normalizePhone(customer.phone)}`];
  if (customer.email) persons.push(`email:${customer.email.trim().toLowerCase()}`);
  return persons.sort();
}

export function purchaseLimitError(limit: number, alreadyBooked: number): AppError {
  const left = Math.max(0, limit - alreadyBooked);
  return new AppError(
    409,
    'PURCHASE_LIMIT',
    `At most ${limit} tickets per person for this performance; ${alreadyBooked} already booked, ${left} left`,
    { limit, alreadyBooked },
  );
}

/** The box office's per-concert purchase limit. */
export function createPurchaseLimits(deps: { db: Db; config: Pick<Config, 'MAX_TICKETS_PER_PERSON'> }) {
  const { db, config } = deps;
  const view = (concertId: string, own: number | null): PurchaseLimit => ({
    concertId,
    maxTicketsPerPerson: own,
    defaultMaxTicketsPerPerson: config.MAX_TICKETS_PER_PERSON,
    effectiveMaxTicketsPerPerson: own ?? config.MAX_TICKETS_PER_PERSON,
  });
  return {
    async get(concertId: string): Promise<PurchaseLimit> {
      const row = await repo.findConcertLimit(db, concertId);
      if (!row) throw concertNotFound();
      return view(concertId, row.max_tickets_per_person);
    },
    /** Holds from the next booking statement on (it reads the concert's limit itself). */
    async set(concertId: string, limit: number | null): Promise<PurchaseLimit> {
      const row = await repo.setConcertLimit(db, concertId, limit);
      if (!row) throw concertNotFound();
      return view(concertId, row.max_tickets_per_person);
    },
  };
}

export type PurchaseLimits = ReturnType<typeof createPurchaseLimits>;
