import type { Hold } from '@seatmap/shared';
import { bookingApi } from './api.ts';
import { HoldController } from './hold-controller.ts';
import { type HoldSession, holdSession, newIdempotencyKey } from './hold-session.ts';
import type { Route } from './router.ts';

export interface HoldFlowContext {
  concertId: string;
  scheduleId: string;
  maxSeats: number;
  /** What the form needs about a hold besides the hold itself: the show and its seats' names and prices. */
  describe(hold: Hold): Omit<HoldSession, 'hold' | 'idempotencyKey'>;
}

interface Active {
  scheduleId: string;
  context: HoldFlowContext;
  controller: HoldController;
}

/** A customer has one hold at a time (per tab): the controller of the performance they are choosing seats for. */
let active: Active | null = null;

/**
 * The seat controller of a performance, kept across re-renders of its page (a language switch) and the trip to
 * the form and back. Asking for another performance first gives back the hold of the previous one.
 */
export function holdControllerFor(context: HoldFlowContext): HoldController {
  if (active?.scheduleId === context.scheduleId) {
    active.context = context;
    return active.controller;
  }
  const { concertId, scheduleId } = context;
  if (active || holdSession.get()?.hold.scheduleId !== scheduleId) leaveBooking();
  const api = bookingApi(concertId);
  const session = holdSession.get();
  const entry: Active = { scheduleId, context, controller: null as unknown as HoldController };
  entry.controller = new HoldController({
    api: {
      create: (body) => api.createHold(scheduleId, body),
      patch: api.patchHold,
      release: api.releaseHold,
    },
    maxSeats: context.maxSeats,
    hold: session?.hold.scheduleId === scheduleId ? session.hold : null,
    persist: (hold, previous) => {
      // A controller the customer walked away from only gives its hold back; the session is no longer its own.
      if (active !== entry) return;
      const prev = holdSession.get();
      if (hold) {
        const idempotencyKey = prev?.hold.holdId === hold.holdId ? prev.idempotencyKey : newIdempotencyKey();
        holdSession.set({ ...entry.context.describe(hold), hold, idempotencyKey });
      } else if (prev?.hold.holdId === previous?.holdId) {
        holdSession.set(null);
      }
    },
    onLost: () => holdSession.expire(),
  });
  active = entry;
  return entry.controller;
}

// The hold ended without the controller (booked on the form, expired on the clock): it starts over.
holdSession.subscribe((change) => {
  if (!active) return;
  const session = change.kind === 'set' ? change.session : null;
  if ((session?.hold.holdId ?? null) !== (active.controller.current?.holdId ?? null)) active.controller.forget();
});

/** Whether a page belongs to the booking of the current hold: its seat map, or the form. */
export function keepsHold(route: Route): boolean {
  if (route.name === 'checkout') return true;
  const scheduleId = active?.scheduleId ?? holdSession.get()?.hold.scheduleId;
  return route.name === 'seats' && route.params.scheduleId === scheduleId;
}

/**
 * The customer left the booking (another page, another performance): the hold is given back now rather than left
 * to its clock — after the request on its way, if any, so a hold being created is released too, never orphaned.
 */
export function leaveBooking(): void {
  const session = holdSession.get();
  const leaving = active;
  active = null;
  if (leaving) void leaving.controller.abandon();
  else if (session)
    void bookingApi(session.concertId)
      .releaseHold(session.hold.holdId)
      .catch(() => {});
  if (session) holdSession.set(null);
}
