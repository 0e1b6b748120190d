import type { SeatStatus } from '@seatmap/shared';
import type { HoldOutcome, HoldRecord, HoldStore, ReservedSeatSource, SeatEvent } from './hold-store.ts';
import { noReservedSeats } from './recovery.ts';

interface Hold {
  scheduleId: string;
  seatIds: string[];
  /** Public expiry. */
  expiresAt: number;
  /** When the sweeper may free it: expiresAt, or later while claimed. */
  deadline: number;
  /** A booking started: the database may hold it booked even if it is never consumed. */
  claimed: boolean;
  /** The holder it counts against (hold cap), as a key of `holders`. */
  holder?: string;
}

interface Schedule {
  version: number;
  held: Set<string>;
  reserved: Set<string>;
}

type Changes = [string, SeatStatus][];

export interface MemoryHoldStoreOptions {
  /** Injectable so tests need not wait. */
  now?: () => number;
  /**
   * Receives every event synchronously, in the step that moves the version (the memory event bus queues it), so
   * events of one performance go out in version order as they do from Redis.
   */
  publish?: (event: SeatEvent) => void;
  /** The database's reserved seats (markers loaded once; expired seats checked); none by default. */
  reservedSeats?: ReservedSeatSource;
}

/**
 * Hold store inside one process, with the same semantics as the Redis store (see scripts.ts): seat statuses
 * come from the held / reserved sets, a lock blocks others only while its hold is live, and expired holds are
 * freed by `sweepExpired`, which the caller drives.
 */
export function createMemoryHoldStore(options: MemoryHoldStoreOptions = {}): HoldStore {
  const now = options.now ?? Date.now;
  const reservedSeats = options.reservedSeats ?? noReservedSeats;
  const holds = new Map<string, Hold>();
  const locks = new Map<string, string>();
  const schedules = new Map<string, Schedule>();
  /** Hold ids per holder per performance (the hold cap); ended holds are dropped when counted. */
  const holders = new Map<string, Set<string>>();

  const schedule = (id: string): Schedule => {
    let s = schedules.get(id);
    if (!s) {
      s = { version: 0, held: new Set(), reserved: new Set() };
      schedules.set(id, s);
    }
    return s;
  };
  const liveHold = (id: string, at = now()): Hold | undefined => {
    const hold = holds.get(id);
    return hold && hold.deadline > at ? hold : undefined;
  };
  const blocked = (scheduleId: string, seat: string, holdId: string, at: number) => {
    if (schedule(scheduleId).reserved.has(seat)) return true;
    const owner = locks.get(seat);
    return owner !== undefined && owner !== holdId && liveHold(owner, at) !== undefined;
  };
  const takeSeat = (scheduleId: string, seat: string, holdId: string, changes: Changes) => {
    locks.set(seat, holdId);
    const s = schedule(scheduleId);
    if (!s.held.has(seat)) {
      s.held.add(seat);
      changes.push([seat, 'held']);
    }
  };
  // Frees a seat of the hold unless another hold has taken it over since.
  const dropSeat = (scheduleId: string, seat: string, holdId: string, changes: Changes) => {
    const owner = locks.get(seat);
    if (owner !== undefined && owner !== holdId) return;
    locks.delete(seat);
    const s = schedule(scheduleId);
    if (s.held.delete(seat) && !s.reserved.has(seat)) changes.push([seat, 'available']);
  };
  const reserveSeat = (scheduleId: string, seat: string, changes: Changes) => {
    locks.delete(seat);
    const s = schedule(scheduleId);
    s.held.delete(seat);
    if (!s.reserved.has(seat)) {
      s.reserved.add(seat);
      changes.push([seat, 'reserved']);
    }
  };
  const publish = (scheduleId: string, changes: Changes): SeatEvent | null => {
    if (changes.length === 0) return null;
    const s = schedule(scheduleId);
    const fromVersion = s.version;
    s.version += changes.length;
    const event = {
      scheduleId,
      fromVersion,
      version: s.version,
      changes: changes.map(([seatId, status]) => ({ seatId, status })),
    };
    options.publish?.(event);
    return event;
  };
  /** Seats in the holder's live holds other than `except`, and the earliest deadline among them. */
  const holderSeats = (key: string, at: number, except?: string) => {
    let total = 0;
    let first: number | undefined;
    const ids = holders.get(key) ?? new Set<string>();
    for (const id of ids) {
      const hold = liveHold(id, at);
      if (!hold) ids.delete(id);
      else if (id !== except) {
        total += hold.seatIds.length;
        first = Math.min(first ?? hold.deadline, hold.deadline);
      }
    }
    if (ids.size === 0) holders.delete(key);
    return { total, first };
  };
  const deleteHold = (holdId: string) => {
    const holder = holds.get(holdId)?.holder;
    const ids = holder ? holders.get(holder) : undefined;
    if (holder && ids?.delete(holdId) && ids.size === 0) holders.delete(holder);
    holds.delete(holdId);
  };
  let loading: Promise<void> | null = null;
  const record = (holdId: string, hold: Hold): HoldRecord => ({
    holdId,
    scheduleId: hold.scheduleId,
    seatIds: [...hold.seatIds],
    expiresAt: hold.expiresAt,
  });
  const unavailableOutcome = (seats: string[]): HoldOutcome => ({
    ok: false,
    reason: 'unavailable',
    unavailableSeatIds: seats,
  });

  return {
    kind: 'memory',

    async create({ holdId, scheduleId, seatIds, ttlMs, holder, orphanGuard = [] }) {
      if (holds.has(holdId)) throw new Error('hold id already in use');
      const at = now();
      const seats = unique(seatIds);
      const holderKey = holder ? `${scheduleId}:${holder.key}` : undefined;
      if (holder && holderKey && holder.maxSeats > 0) {
        const { total, first } = holderSeats(holderKey, at);
        if (total + seats.length > holder.maxSeats) {
          return {
            ok: false,
            reason: 'holder_limit',
            held: total,
            retryAfterMs: Math.max(1, (first ?? at + 1000) - at),
          };
        }
      }
      const refused = seats.filter((seat) => blocked(scheduleId, seat, holdId, at));
      if (refused.length > 0) return unavailableOutcome(refused);
      // Orphan guard: a free seat whose neighbours would both be taken after this hold, and were not both before.
      const chosen = new Set(seats);
      const taken = (seat: string | null) => seat === null || blocked(scheduleId, seat, holdId, at);
      const stranded = orphanGuard
        .filter(({ seatId, left, right }) => {
          if (chosen.has(seatId) || taken(seatId)) return false;
          const [l, r] = [taken(left), taken(right)];
          return (l || chosen.has(left!)) && (r || chosen.has(right!)) && !(l && r);
        })
        .map((g) => g.seatId);
      if (stranded.length > 0) return { ok: false, reason: 'orphan', strandedSeatIds: stranded };
      const expiresAt = at + Math.ceil(ttlMs);
      const changes: Changes = [];
      for (const seat of seats) takeSeat(scheduleId, seat, holdId, changes);
      const hold: Hold = { scheduleId, seatIds: seats, expiresAt, deadline: expiresAt, claimed: false };
      if (holderKey) {
        hold.holder = holderKey;
        holders.set(holderKey, (holders.get(holderKey) ?? new Set()).add(holdId));
      }
      holds.set(holdId, hold);
      return { ok: true, hold: record(holdId, hold), event: publish(scheduleId, changes) };
    },

    async get(holdId) {
      const hold = liveHold(holdId);
      return hold ? record(holdId, hold) : null;
    },

    async modify(holdId, change) {
      const at = now();
      const hold = liveHold(holdId, at);
      if (!hold) return { ok: false, reason: 'not_found' };
      const both = new Set(change.add.filter((seat) => change.remove.includes(seat)));
      const owned = new Set(hold.seatIds);
      const add = unique(change.add).filter((seat) => !both.has(seat) && !owned.has(seat));
      const remove = unique(change.remove).filter((seat) => !both.has(seat) && owned.has(seat));
      const refused = add.filter((seat) => blocked(hold.scheduleId, seat, holdId, at));
      if (refused.length > 0) return unavailableOutcome(refused);
      const total = hold.seatIds.length - remove.length + add.length;
      if (change.maxSeats && total > change.maxSeats) return { ok: false, reason: 'too_many', seats: total };
      if (hold.holder && change.maxHeldSeats && add.length > 0) {
        const others = holderSeats(hold.holder, at, holdId);
        if (others.total + total > change.maxHeldSeats) {
          const first = Math.min(others.first ?? hold.deadline, hold.deadline);
          return {
            ok: false,
            reason: 'holder_limit',
            held: others.total + hold.seatIds.length,
            retryAfterMs: Math.max(1, first - at),
          };
        }
      }
      const changes: Changes = [];
      for (const seat of remove) dropSeat(hold.scheduleId, seat, holdId, changes);
      for (const seat of add) takeSeat(hold.scheduleId, seat, holdId, changes);
      hold.seatIds = [...hold.seatIds.filter((seat) => !remove.includes(seat)), ...add];
      return { ok: true, hold: record(holdId, hold), event: publish(hold.scheduleId, changes) };
    },

    async release(holdId) {
      const hold = liveHold(holdId);
      if (!hold) return null;
      const changes: Changes = [];
      for (const seat of hold.seatIds) dropSeat(hold.scheduleId, seat, holdId, changes);
      deleteHold(holdId);
      return publish(hold.scheduleId, changes);
    },

    async claim(holdId, leaseMs) {
      const at = now();
      const hold = liveHold(holdId, at);
      if (!hold) return null;
      const s = schedule(hold.scheduleId);
      if (hold.seatIds.some((seat) => locks.get(seat) !== holdId || s.reserved.has(seat))) return null;
      hold.claimed = true;
      hold.deadline = Math.max(hold.deadline, at + Math.ceil(leaseMs));
      return record(holdId, hold);
    },

    async consume(holdId, scheduleId, seatIds) {
      const hold = holds.get(holdId);
      if (hold && hold.scheduleId !== scheduleId) {
        throw new Error(`hold ${holdId} does not belong to schedule ${scheduleId}`);
      }
      const booked = unique(seatIds);
      const changes: Changes = [];
      if (hold) {
        for (const seat of hold.seatIds) {
          if (!booked.includes(seat)) dropSeat(scheduleId, seat, holdId, changes);
        }
        deleteHold(holdId);
      }
      for (const seat of booked) reserveSeat(scheduleId, seat, changes);
      return publish(scheduleId, changes);
    },

    async markReserved(scheduleId, seatIds) {
      const changes: Changes = [];
      for (const seat of unique(seatIds)) reserveSeat(scheduleId, seat, changes);
      return publish(scheduleId, changes);
    },

    async markAvailable(scheduleId, seatIds) {
      const s = schedule(scheduleId);
      const changes: Changes = [];
      for (const seat of unique(seatIds)) {
        if (s.reserved.delete(seat)) changes.push([seat, s.held.has(seat) ? 'held' : 'available']);
      }
      return publish(scheduleId, changes);
    },

    async version(scheduleId) {
      return schedule(scheduleId).version;
    },

    async counts(scheduleId) {
      const s = schedule(scheduleId);
      let held = 0;
      for (const seat of s.held) if (!s.reserved.has(seat)) held++;
      return { held, reserved: s.reserved.size };
    },

    async states(scheduleId) {
      const s = schedule(scheduleId);
      return {
        version: s.version,
        held: [...s.held].filter((seat) => !s.reserved.has(seat)),
        reserved: [...s.reserved],
      };
    },

    async unavailable(scheduleId, seatIds) {
      const at = now();
      return new Set(seatIds.filter((seat) => blocked(scheduleId, seat, '', at)));
    },

    async sweepExpired(limit = 500) {
      const at = now();
      const due = [...holds.entries()]
        .filter(([, hold]) => hold.deadline <= at)
        .sort(([, a], [, b]) => a.deadline - b.deadline)
        .slice(0, limit);
      const bySchedule = new Map<string, Changes>();
      const release = (holdId: string, hold: Hold, reserved: Set<string>) => {
        const changes = bySchedule.get(hold.scheduleId) ?? [];
        bySchedule.set(hold.scheduleId, changes);
        for (const seat of hold.seatIds) {
          if (reserved.has(seat)) reserveSeat(hold.scheduleId, seat, changes);
          else dropSeat(hold.scheduleId, seat, holdId, changes);
        }
        deleteHold(holdId);
      };
      for (const [holdId, hold] of due) if (!hold.claimed) release(holdId, hold, new Set());
      // As in Redis: a claimed hold's seats are checked against the database first, never announced free if booked.
      const claimed = due.filter(([, hold]) => hold.claimed);
      if (claimed.length > 0) {
        const seats = claimed.flatMap(([, hold]) => hold.seatIds);
        const reserved = new Set(await reservedSeats.among(seats).catch(() => []));
        for (const [holdId] of claimed) {
          const hold = holds.get(holdId);
          if (hold && hold.deadline <= now()) release(holdId, hold, reserved);
        }
      }
      return [...bySchedule].map(([id, changes]) => publish(id, changes)).filter((e): e is SeatEvent => e !== null);
    },

    ensureLoaded() {
      loading ??= reservedSeats.all().then((reserved) => {
        for (const [scheduleId, seatIds] of reserved) {
          const s = schedule(scheduleId);
          const want = new Set(seatIds);
          const changes: Changes = [];
          for (const seat of [...s.reserved]) {
            if (!want.has(seat)) {
              s.reserved.delete(seat);
              changes.push([seat, 'available']);
            }
          }
          for (const seat of want) reserveSeat(scheduleId, seat, changes);
          publish(scheduleId, changes);
        }
      });
      // A failed load is tried again on the next call.
      loading.catch(() => {
        loading = null;
      });
      return loading;
    },

    async ping() {},

    async close() {},
  };
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}
