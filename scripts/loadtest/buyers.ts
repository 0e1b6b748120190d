import { randomUUID } from 'node:crypto';
import type { ApiClient, ApiResponse } from './api.ts';
import type { FanoutTracker } from './fanout.ts';
import type { LoadtestOptions } from './options.ts';
import type { SeatBoard } from './seat-board.ts';
import { LatencyRecorder, Tally } from './stats.ts';

/** What the buyers did, for the report and the final check. */
export class BuyerStats {
  attempts = 0;
  holds = 0;
  booked = 0;
  seatsBooked = 0;
  abandonedDeleted = 0;
  abandonedExpiring = 0;
  /** Purchases that got no hold after every attempt. */
  gaveUp = 0;
  /** The hold was gone by the time the buyer booked (404 HOLD_NOT_FOUND). */
  holdLost = 0;
  readonly conflicts = new Tally();
  /** Unexpected answers by step and status/code. */
  readonly errors = new Tally();
  /** 503s that a retry after the pause got past (a busy machine answers 503 + Retry-After; clients try again). */
  readonly retried = new Tally();
  readonly latency = { hold: new LatencyRecorder(), reserve: new LatencyRecorder(), release: new LatencyRecorder() };
  /** Seats each 201 reservation returned: a seat twice means a double booking seen from outside. */
  readonly bookedSeats = new Map<string, string>();
  readonly doubleBooked: { seatId: string; reservations: [string, string] }[] = [];
  /** Holds not known to be gone (abandoned to expiry, or ended by an error): the check waits for them. */
  lastOpenHoldExpiry = 0;
  /** When a hold request last went unanswered (timeout, 5xx): the server may have made it anyway. */
  lastUnansweredHold = 0;
  /** The hold TTL as the 201s reveal it (expiresAt − now), for holds the buyer never heard about. */
  holdTtlMs = 0;
  soldOut = false;
}

export interface BuyerContext {
  options: LoadtestOptions;
  scheduleId: string;
  apis: ApiClient[];
  board: SeatBoard;
  fanout: FanoutTracker;
  stats: BuyerStats;
  /** Whether another purchase may start now (count, duration, timeout and sell-out all say yes). */
  mayStart(): boolean;
  random: () => number;
}

/** The server keeps a hold that a booking claimed for this long (CLAIM_LEASE_MS in reservation-service.ts). */
const CLAIM_LEASE_MS = 31_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A 503 is "try again shortly" (SPEC): asked again this many times, after a pause, before it counts as an error. */
const RETRIES_AFTER_503 = 3;

async function retrying503<T>(
  stats: BuyerStats,
  kind: string,
  call: () => Promise<ApiResponse<T>>,
  onRetry: () => void = () => {},
): Promise<ApiResponse<T>> {
  for (let retry = 0; ; retry++) {
    const res = await call();
    if (res.status !== 503 || retry === RETRIES_AFTER_503) return res;
    stats.retried.add(`${kind}:503:${res.error?.code ?? ''}`);
    onRetry();
    await sleep(250 + Math.random() * 250);
  }
}

function customer(n: number) {
  const digits = String(10_000_000 + (n % 90_000_000)).slice(-8);
  return {
    name: `부하테스트 ${n}`,
    phone: `010-${digits.slice(0, 4)}-${digits.slice(4)}`,
    email: `buyer${n}@example.com`,
  };
}

function keepOpen(stats: BuyerStats, expiresAt: string) {
  stats.lastOpenHoldExpiry = Math.max(stats.lastOpenHoldExpiry, Date.parse(expiresAt));
}

/** One simulated buyer: purchases until the run says stop. Buyer i talks to node i mod N. */
export async function runBuyer(ctx: BuyerContext, index: number): Promise<void> {
  const api = ctx.apis[index % ctx.apis.length]!;
  while (ctx.mayStart()) {
    ctx.stats.attempts++;
    await purchase(ctx, api, ctx.stats.attempts);
  }
}

async function purchase(ctx: BuyerContext, api: ApiClient, n: number): Promise<void> {
  const { options, stats, board, fanout } = ctx;
  const k = options.seatsPerBuyer;

  let hold: { holdId: string; seatIds: string[]; expiresAt: string } | undefined;
  for (let attempt = 0; attempt < options.maxHoldAttempts && !hold; attempt++) {
    let body: { seatIds: string[] } | { bestAvailable: { count: number } };
    if (options.mode === 'manual') {
      const seatIds = board.pick(k, ctx.random);
      if (!seatIds) {
        stats.soldOut = true;
        return;
      }
      body = { seatIds };
    } else body = { bestAvailable: { count: k } };

    // A hold answered 503 may have been made anyway (its reply timed out): the final check waits for it.
    const res = await retrying503(
      stats,
      'hold',
      () => api.holdSeats(ctx.scheduleId, body),
      () => {
        stats.lastUnansweredHold = Date.now();
      },
    );
    stats.latency.hold.record(res.ms);
    if (res.status === 201 && res.data) {
      hold = res.data;
      stats.holds++;
      stats.holdTtlMs = Math.max(stats.holdTtlMs, Date.parse(hold.expiresAt) - Date.now());
      fanout.holdCreated(hold.seatIds, performance.now());
      board.mark(hold.seatIds, 'held');
      break;
    }
    const code = res.error?.code ?? String(res.status);
    if (res.status === 409) {
      stats.conflicts.add(`hold:${code}`);
      const taken = res.error?.details?.unavailableSeatIds;
      if (Array.isArray(taken)) board.mark(taken as string[], 'held');
      // Under contention the server can answer NO_ADJACENT_SEATS while seats remain; only our map says sold out.
      if (code === 'NO_ADJACENT_SEATS' && !board.pick(k, ctx.random)) {
        stats.soldOut = true;
        return;
      }
      continue;
    }
    stats.errors.add(`hold:${res.status}:${code}`);
    if (res.status === 0 || res.status >= 500) stats.lastUnansweredHold = Date.now();
    return;
  }
  if (!hold) {
    stats.gaveUp++;
    return;
  }

  if (options.thinkMs > 0) await sleep(options.thinkMs * (0.5 + ctx.random()));

  if (ctx.random() < options.abandonRate) {
    const expire = options.abandonMode === 'expire' || (options.abandonMode === 'mixed' && ctx.random() < 0.5);
    if (expire) {
      stats.abandonedExpiring++;
      keepOpen(stats, hold.expiresAt);
      return;
    }
    const res = await api.releaseHold(hold.holdId);
    stats.latency.release.record(res.ms);
    if (res.status === 204) {
      stats.abandonedDeleted++;
      fanout.holdEnded(hold.seatIds);
      board.mark(hold.seatIds, 'available');
    } else if (res.status === 404 && Date.now() >= Date.parse(hold.expiresAt)) {
      // A slow machine let the hold run out before the buyer gave it up: it ended by expiry, as SPEC says it may.
      stats.abandonedExpiring++;
      keepOpen(stats, hold.expiresAt);
    } else {
      stats.errors.add(`release:${res.status}:${res.error?.code ?? ''}`);
      keepOpen(stats, hold.expiresAt);
    }
    return;
  }

  // The same Idempotency-Key on every try: a booking that went through answers its first answer again.
  const key = randomUUID();
  const res = await retrying503(stats, 'reserve', () => api.reserve(hold.holdId, customer(n), key));
  stats.latency.reserve.record(res.ms);
  fanout.holdEnded(hold.seatIds);
  if (res.status === 201 && res.data) {
    stats.booked++;
    stats.seatsBooked += res.data.seats.length;
    board.mark(hold.seatIds, 'reserved');
    for (const seat of res.data.seats) {
      const earlier = stats.bookedSeats.get(seat.id);
      if (earlier) stats.doubleBooked.push({ seatId: seat.id, reservations: [earlier, res.data.reservationNumber] });
      else stats.bookedSeats.set(seat.id, res.data.reservationNumber);
    }
    return;
  }
  const code = res.error?.code ?? String(res.status);
  if (res.status === 404 && code === 'HOLD_NOT_FOUND') stats.holdLost++;
  else if (res.status === 409) stats.conflicts.add(`reserve:${code}`);
  else {
    stats.errors.add(`reserve:${res.status}:${code}`);
    // A booking that failed midway may have claimed the hold, which keeps it live for the server's claim lease.
    keepOpen(stats, new Date(Math.max(Date.parse(hold.expiresAt), Date.now() + CLAIM_LEASE_MS)).toISOString());
  }
}
