import type { SeatsChanged } from '@seatmap/shared';
import type { SnapshotSource } from './seat-snapshot.ts';
import { SeatStore } from './seat-store.ts';

const RETRY_BEHIND_MS = 500;

export type SyncListener = (changed: readonly number[] | 'all') => void;

/**
 * Keeps a SeatStore equal to the server: applies `seats:changed` in order, buffers events while a snapshot is
 * loading, and refetches the snapshot on a version gap, on a join ack ahead of us and after a reconnect.
 */
export class SeatSync {
  store: SeatStore | null = null;
  resyncCount = 0;
  private loading: Promise<void> | null = null;
  private again = false;
  private buffer: SeatsChanged[] = [];
  private disposed = false;
  private behind = 0;
  private layoutVersion: string | undefined;

  constructor(
    private readonly fetchSnapshot: SnapshotSource,
    private readonly listener: SyncListener,
  ) {}

  /** Loads (or reloads) the snapshot; concurrent calls share one fetch and run once more afterwards. */
  resync(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = this.runLoad().finally(() => {
      this.loading = null;
      if (this.again && !this.disposed) {
        this.again = false;
        // A snapshot that is still behind the events (it should not be) is retried, but not in a tight loop.
        this.behind++;
        if (this.behind > 1) setTimeout(() => void this.resync(), RETRY_BEHIND_MS);
        else void this.resync();
      } else {
        this.behind = 0;
      }
    });
    return this.loading;
  }

  private async runLoad(): Promise<void> {
    const snapshot = await this.fetchSnapshot();
    if (this.disposed) return;
    this.resyncCount++;
    if (!this.store || snapshot.layoutVersion !== this.layoutVersion) {
      // The first snapshot, or the box office changed the layout since the last one: a store on the new seats.
      this.store = new SeatStore(snapshot);
      this.layoutVersion = snapshot.layoutVersion;
      this.listener('all');
    } else {
      this.listener(this.store.reload(snapshot));
    }
    // Replay what arrived during the fetch; anything still ahead of us waits for one more snapshot.
    const pending = this.buffer;
    this.buffer = [];
    for (const event of pending) {
      if (this.again) {
        this.buffer.push(event);
        continue;
      }
      const result = this.store.apply(event);
      if (result.kind === 'applied') this.listener(result.changed);
      else if (result.kind === 'gap') {
        this.buffer.push(event);
        this.again = true;
      }
    }
  }

  handleEvent(event: SeatsChanged): void {
    if (this.disposed) return;
    if (!this.store || this.loading) {
      this.buffer.push(event);
      return;
    }
    const result = this.store.apply(event);
    if (result.kind === 'applied') this.listener(result.changed);
    else if (result.kind === 'gap') {
      this.buffer.push(event);
      void this.resync();
    }
  }

  /** The room's version at join time: if we are behind it, something was missed. */
  handleJoined(version: number): void {
    if (this.store && !this.loading && version > this.store.version) void this.resync();
  }

  dispose(): void {
    this.disposed = true;
    this.buffer = [];
  }
}
