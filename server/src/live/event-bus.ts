import type { PublishedSeatEvent } from '../holds/seat-event.ts';

/** Gets each event with its publish time (`publishedAt`, for metrics only; never passed on to clients). */
export type SeatEventListener = (event: PublishedSeatEvent) => void;

/**
 * Brings the hold store's seat events to this node, one performance at a time (Redis: one channel per
 * performance, subscribed while someone on this node listens; embedded: in-process). Events of one performance
 * arrive in the order the store published them, which is version order.
 */
export interface EventBus {
  readonly kind: 'redis' | 'memory';
  /**
   * Listens to one performance. Resolves once the subscription is confirmed: every event published from then on
   * reaches `listener`. `onResume` runs after a lost subscription was restored (a Redis reconnect): events may have
   * been missed meanwhile. Rejects with `ServiceUnavailableError('event-bus')` when it cannot subscribe.
   */
  subscribe(scheduleId: string, listener: SeatEventListener, onResume?: () => void): Promise<() => void>;
  /** The highest version received per performance subscribed now (the hold store's version floors). */
  lastVersions(): Map<string, number>;
  close(): Promise<void>;
}
