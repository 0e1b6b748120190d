import { randomInt } from 'node:crypto';
import {
  type CreatePresaleBody,
  type Presale,
  type PresaleCodeList,
  type PresaleWindow,
  presaleCodeSchema,
} from '@seatmap/shared';
import type { SeatLayouts } from '../catalog/seat-layouts.ts';
import type { Db } from '../db/database.ts';
import { AppError, concertNotFound, notFound } from '../errors.ts';
import type { HoldStore } from '../holds/hold-store.ts';
import { isoInZone } from '../time.ts';
import * as repo from './presale-repository.ts';
import { RESERVATION_ALPHABET } from './reservation-number.ts';

/** A node re-reads a concert's presale windows after this long, so a window set on another node applies within it. */
const WINDOWS_TTL_MS = 2_000;
const MAX_CACHED_CONCERTS = 1_000;
/** Generated codes: 10 characters of the reservation alphabet (no 0/O, 1/I/L), ≈ 49.5 random bits each. */
const CODE_LENGTH = 10;

type Window = Awaited<ReturnType<typeof repo.listOpenPresales>>[number];

/** What the booking statement counts: one use of `code` in window `presaleId`, at most `maxUses` in all. */
export interface PresaleUse {
  presaleId: string;
  code: string;
  maxUses: number;
}

const newCode = () => Array.from({ length: CODE_LENGTH }, () => RESERVATION_ALPHABET[randomInt(31)]).join('');

const required = (window: Window, timezone: string) =>
  new AppError(403, 'PRESALE_CODE_REQUIRED', 'This performance is in a presale: send your code in X-Presale-Code', {
    presale: publicWindow(window, timezone),
  });
export const presaleCodeInvalid = (reason: 'unknown' | 'used_up') =>
  new AppError(
    403,
    'PRESALE_CODE_INVALID',
    reason === 'unknown' ? 'This presale code is not valid for this presale' : 'This presale code has been used up',
    { reason },
  );

function publicWindow(w: Window, timezone: string): PresaleWindow {
  return {
    name: w.name,
    startsAt: isoInZone(new Date(w.starts_at), timezone),
    endsAt: isoInZone(new Date(w.ends_at), timezone),
  };
}

/**
 * Presale windows per concert (SPEC §12). Inside a window, holds, hold changes and bookings need a code of a window
 * in force; a code's uses are counted by the booking statement itself (`PresaleUse`), one per booking, never past
 * `maxUsesPerCode` however many bookings race (the code's row lock orders them; the loser's whole booking rolls
 * back). Windows are cached per node for WINDOWS_TTL_MS; a concert without windows costs one cached lookup.
 */
export function createPresales(deps: { db: Db; now: () => Date }) {
  const { db, now } = deps;
  const cache = new Map<string, { until: number; windows: Promise<Window[]> }>();

  function openWindows(concertId: string): Promise<Window[]> {
    const at = now().getTime();
    const hit = cache.get(concertId);
    if (hit && hit.until > at) return hit.windows;
    const windows = repo.listOpenPresales(db, concertId, now());
    cache.delete(concertId);
    cache.set(concertId, { until: at + WINDOWS_TTL_MS, windows });
    if (cache.size > MAX_CACHED_CONCERTS) cache.delete(cache.keys().next().value as string);
    windows.catch(() => cache.delete(concertId));
    return windows;
  }

  async function inForce(concertId: string): Promise<Window[]> {
    const at = now().getTime();
    return (await openWindows(concertId)).filter(
      (w) => new Date(w.starts_at).getTime() <= at && new Date(w.ends_at).getTime() > at,
    );
  }

  /**
   * Null when no window is in force; else the use a booking would count, or 403 (no code, a code of no window in
   * force, or one used up).
   */
  async function check(concertId: string, timezone: string, code: string | undefined): Promise<PresaleUse | null> {
    const windows = await inForce(concertId);
    if (windows.length === 0) return null;
    const normalised = code?.trim().toUpperCase();
    if (!normalised) throw required(windows[0]!, timezone);
    // What the hold checks is exactly what the booking counts: no truncation, the codes' own alphabet only.
    if (!presaleCodeSchema.safeParse(normalised).success) throw presaleCodeInvalid('unknown');
    const found = await repo.findCode(
      db,
      windows.map((w) => w.id),
      normalised,
    );
    if (found.length === 0) throw presaleCodeInvalid('unknown');
    const usable = found.find((c) => c.uses < c.max_uses_per_code);
    if (!usable) throw presaleCodeInvalid('used_up');
    return { presaleId: usable.presale_id, code: normalised, maxUses: usable.max_uses_per_code };
  }

  const toPresale = (
    row: Window & { code_count?: string; used_count?: string },
    timezone: string,
    counts?: { codeCount: number; usedCount: number },
  ): Presale => ({
    id: row.id,
    concertId: row.concert_id,
    ...publicWindow(row, timezone),
    maxUsesPerCode: row.max_uses_per_code,
    codeCount: counts?.codeCount ?? Number(row.code_count ?? 0),
    usedCount: counts?.usedCount ?? Number(row.used_count ?? 0),
  });

  async function concertZone(concertId: string): Promise<string> {
    const concert = await db.selectFrom('concerts').select('timezone').where('id', '=', concertId).executeTakeFirst();
    if (!concert) throw concertNotFound();
    return concert.timezone;
  }

  async function requirePresale(presaleId: string) {
    const presale = await repo.findPresale(db, presaleId);
    if (!presale) throw notFound('NOT_FOUND', 'No such presale window');
    return presale;
  }

  return {
    check,

    /** Windows not ended yet (concert page) and the one in force now (performance list), as customers see them. */
    async publicWindows(concertId: string, timezone: string) {
      const open = (await openWindows(concertId)).map((w) => publicWindow(w, timezone));
      const current = (await inForce(concertId))[0];
      return { open, current: current ? publicWindow(current, timezone) : null };
    },

    async create(concertId: string, body: CreatePresaleBody): Promise<Presale> {
      const timezone = await concertZone(concertId);
      const codes = body.codes ?? [...new Set(Array.from({ length: body.codeCount ?? 0 }, newCode))];
      const result = await db.transaction().execute(async (trx) => {
        const row = await repo.insertPresale(trx, {
          concertId,
          name: body.name,
          startsAt: new Date(body.startsAt),
          endsAt: new Date(body.endsAt),
          maxUsesPerCode: body.maxUsesPerCode,
        });
        const codeCount = await repo.insertCodes(trx, row.id, codes);
        return toPresale(row, timezone, { codeCount, usedCount: 0 });
      });
      cache.delete(concertId);
      return result;
    },

    async list(concertId: string): Promise<{ presales: Presale[] }> {
      const timezone = await concertZone(concertId);
      const rows = await repo.listPresales(db, concertId);
      return { presales: rows.map((r) => toPresale(r, timezone)) };
    },

    async codes(presaleId: string): Promise<PresaleCodeList> {
      await requirePresale(presaleId);
      return { presaleId, codes: await repo.listCodes(db, presaleId) };
    },

    async remove(presaleId: string): Promise<void> {
      const presale = await requirePresale(presaleId);
      await repo.deletePresale(db, presaleId);
      cache.delete(presale.concert_id);
    },
  };
}

export type Presales = ReturnType<typeof createPresales>;

/**
 * The hold routes' presale check (SPEC §12): a new hold, and seats added to one, need a usable code while the
 * performance's concert has a window in force. (A booking checks again and counts the use: reservation-service.)
 */
export function createPresaleGate(deps: {
  presales: Pick<Presales, 'check'>;
  layouts: SeatLayouts;
  holdStore: Pick<HoldStore, 'get'>;
}) {
  const { presales, layouts, holdStore } = deps;
  const checkSchedule = async (scheduleId: string, code: string | undefined) => {
    const layout = await layouts.get(scheduleId);
    // An unknown performance passes: the hold service answers its 404.
    if (layout) await presales.check(layout.concertId, layout.timezone, code);
  };
  return {
    hold: checkSchedule,
    async change(holdId: string, code: string | undefined) {
      const hold = await holdStore.get(holdId);
      if (hold) await checkSchedule(hold.scheduleId, code);
    },
  };
}

export type PresaleGate = ReturnType<typeof createPresaleGate>;
