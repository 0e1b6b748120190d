import type { SeatsChanged } from '@seatmap/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { EventBus } from './event-bus.ts';

/** Publishes committed seat changes; a failed publish is logged, never turned into a failed request. */
export interface SeatEvents {
  publish(event: SeatsChanged): void;
}

export function createSeatEvents(bus: EventBus, log: FastifyBaseLogger): SeatEvents {
  return {
    publish(event) {
      bus.publish(event).catch((err: unknown) => {
        // The change is committed; watchers that miss it see a version gap on the next event and resync.
        log.warn({ err, scheduleId: event.scheduleId, version: event.version }, 'seat event not published');
      });
    },
  };
}
