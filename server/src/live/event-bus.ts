import type { SeatsChanged } from '@seatmap/shared';

/**
 * Carries seat status changes from the node that committed them to every node's gateway (Redis pub/sub), or
 * within the process when embedded. Publish only after the change is committed.
 */
export interface EventBus {
  readonly kind: 'redis' | 'memory';
  publish(event: SeatsChanged): Promise<void>;
  /** Returns an unsubscribe function. */
  subscribe(listener: (event: SeatsChanged) => void): () => void;
  /** Resolves once events published from now on are received (the Redis subscription is active). */
  ready(): Promise<void>;
  close(): Promise<void>;
}
