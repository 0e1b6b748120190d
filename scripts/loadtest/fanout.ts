import type { SeatChange } from '@seatmap/shared';
import { LatencyRecorder } from './stats.ts';

interface SeatHold {
  createdAt: number;
  ended: boolean;
}

/**
 * Fan-out lag: from a hold's 201 at the buyer to each watcher's `seats:changed` marking that seat held. Buyers and
 * watchers share this process's clock. A change that arrives before the buyer has read its 201 counts as 0 ms.
 */
export class FanoutTracker {
  readonly lag = new LatencyRecorder();
  /** Held changes that beat the 201 to the watcher. */
  early = 0;
  private readonly holds = new Map<string, SeatHold>();
  private readonly pendingEarly = new Map<string, number>();

  holdCreated(seatIds: string[], at: number) {
    for (const seatId of seatIds) {
      this.holds.set(seatId, { createdAt: at, ended: false });
      const early = this.pendingEarly.get(seatId);
      if (early) {
        this.pendingEarly.delete(seatId);
        for (let i = 0; i < early; i++) this.lag.record(0);
      }
    }
  }

  /** The buyer released or booked the hold: later held changes of these seats belong to the next hold. */
  holdEnded(seatIds: string[]) {
    for (const seatId of seatIds) {
      const hold = this.holds.get(seatId);
      if (hold) hold.ended = true;
    }
  }

  watcherSaw(changes: SeatChange[], at: number) {
    for (const change of changes) {
      if (change.status !== 'held') continue;
      const hold = this.holds.get(change.seatId);
      if (hold && !hold.ended) this.lag.record(Math.max(0, at - hold.createdAt));
      else {
        this.early++;
        this.pendingEarly.set(change.seatId, (this.pendingEarly.get(change.seatId) ?? 0) + 1);
      }
    }
  }
}
