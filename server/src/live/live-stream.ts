import type { AreaChange, SeatsChanged } from '@seatmap/shared';
import type { SeatEvent } from '../holds/seat-event.ts';
import { AreaTracker } from './area-tracker.ts';
import { createCoalescer } from './coalescer.ts';
import type { EventBus } from './event-bus.ts';
import type { LiveDirectory, LiveLogger } from './types.ts';

/** One coalesced change as it leaves this node, shared by every socket. */
export interface Broadcast {
  /** The wire event, each change with its seat's layout index. */
  readonly event: SeatsChanged;
  /** `{"type":"seats:changed",…}` for the plain feed, serialised once on first use. */
  feedMessage(): Buffer;
}

type Listener = (broadcast: Broadcast) => void;

/** The coalesced `seats:changed` stream of this node, shared by the Socket.IO gateway, the plain feed and the box office. */
export interface LiveStream {
  /**
   * Keeps this node subscribed to a performance while anyone holds it. Resolves once subscribed: every change
   * published from then on reaches the listeners. Read the version only after this resolves (the join race: a
   * version read before the subscription could miss an event published in between). The release is idempotent.
   */
  retain(scheduleId: string): Promise<() => void>;
  /** Every coalesced event of the retained performances. */
  onAny(listener: Listener): () => void;
  /** Coalesced events of one performance. */
  onSchedule(scheduleId: string, listener: Listener): () => void;
  /** Performances this node is subscribed to. */
  subscriptions(): number;
  close(): void;
}

/** A performance nobody watches any more stays subscribed this long, so a reload or a reconnect costs no SUBSCRIBE. */
const LINGER_MS = 10_000;

interface Watched {
  holders: number;
  ready: Promise<void>;
  index: ReadonlyMap<string, number> | null;
  /** Standing areas' counts (SPEC §12), for performances that have areas. */
  areas: AreaTracker | null;
  /** A base for `areas` being read. */
  rebasing: boolean;
  stop: (() => void) | null;
  linger: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Subscribes the bus once per performance per node and coalesces for `windowMs`, so each event crosses Redis once
 * per node and is serialised once per node. After a lost subscription is restored, pushes a notice at the current
 * version so watchers that missed something resync.
 */
export function createLiveStream(options: {
  bus: EventBus;
  directory: Pick<LiveDirectory, 'version' | 'seatIndex' | 'areaBase'>;
  windowMs: number;
  logger?: LiveLogger;
  onResumed?: () => void;
}): LiveStream {
  const { bus, directory, logger } = options;
  const any = new Set<Listener>();
  const bySchedule = new Map<string, Set<Listener>>();
  const watched = new Map<string, Watched>();
  let closed = false;

  const deliver = (listener: Listener, broadcast: Broadcast) => {
    try {
      listener(broadcast);
    } catch (err) {
      logger?.error({ err, scheduleId: broadcast.event.scheduleId }, 'live listener failed');
    }
  };
  const coalescer = createCoalescer({
    windowMs: options.windowMs,
    emit(event) {
      const entry = watched.get(event.scheduleId);
      const broadcast = toBroadcast(event, entry?.index ?? null, entry ? areaChangesOf(event, entry) : null, logger);
      for (const listener of any) deliver(listener, broadcast);
      for (const listener of bySchedule.get(event.scheduleId) ?? []) deliver(listener, broadcast);
    },
  });

  const resume = (scheduleId: string) => {
    options.onResumed?.();
    directory.version(scheduleId).then(
      (version) => coalescer.push({ scheduleId, fromVersion: version, version, changes: [] }),
      (err: unknown) =>
        logger?.warn({ err, scheduleId }, 'no version after a resubscription; watchers resync on the next change'),
    );
  };

  /** Reads a new base for the areas' counts (at start and after a gap); events meanwhile go out without them. */
  const rebase = (scheduleId: string, entry: Watched) => {
    if (!entry.areas || entry.rebasing || !directory.areaBase) return Promise.resolve();
    entry.rebasing = true;
    return directory
      .areaBase(scheduleId)
      .then(
        (base) => {
          if (base) entry.areas?.reset(base);
        },
        (err: unknown) => logger?.warn({ err, scheduleId }, 'no standing-area counts; events go without them'),
      )
      .finally(() => {
        entry.rebasing = false;
      });
  };
  const areaChangesOf = (event: SeatEvent, entry: Watched) => {
    if (!entry.areas) return null;
    const changes = entry.areas.apply(event);
    if (changes === null) void rebase(event.scheduleId, entry);
    return { tracker: entry.areas, changes };
  };

  const start = async (scheduleId: string, entry: Watched) => {
    entry.index = await directory.seatIndex(scheduleId);
    if (!entry.index) throw new Error(`schedule ${scheduleId} not found`);
    entry.stop = await bus.subscribe(
      scheduleId,
      (event) => coalescer.push(event),
      () => resume(scheduleId),
    );
    // Released (or closed) while subscribing: nobody is left to unsubscribe later.
    if (closed || watched.get(scheduleId) !== entry) {
      entry.stop();
      return;
    }
    // Standing areas: the base is read after subscribing, so every event after its version reaches the tracker.
    if (directory.areaBase) {
      const base = await directory.areaBase(scheduleId);
      if (base) {
        entry.areas = new AreaTracker();
        entry.areas.reset(base);
      }
    }
  };
  const drop = (scheduleId: string, entry: Watched) => {
    if (entry.holders > 0 || watched.get(scheduleId) !== entry) return;
    watched.delete(scheduleId);
    entry.stop?.();
    coalescer.forget(scheduleId);
  };

  return {
    async retain(scheduleId) {
      if (closed) throw new Error('live stream closed');
      let entry = watched.get(scheduleId);
      if (!entry) {
        const fresh: Watched = {
          holders: 0,
          ready: Promise.resolve(),
          index: null,
          areas: null,
          rebasing: false,
          stop: null,
          linger: undefined,
        };
        fresh.ready = start(scheduleId, fresh).catch((err: unknown) => {
          if (watched.get(scheduleId) === fresh) watched.delete(scheduleId);
          throw err;
        });
        watched.set(scheduleId, fresh);
        entry = fresh;
      }
      const held = entry;
      held.holders++;
      clearTimeout(held.linger);
      try {
        await held.ready;
      } catch (err) {
        held.holders--;
        throw err;
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held.holders--;
        if (held.holders === 0) {
          held.linger = setTimeout(() => drop(scheduleId, held), LINGER_MS);
          held.linger.unref();
        }
      };
    },
    onAny(listener) {
      any.add(listener);
      return () => any.delete(listener);
    },
    onSchedule(scheduleId, listener) {
      let set = bySchedule.get(scheduleId);
      if (!set) {
        set = new Set();
        bySchedule.set(scheduleId, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && bySchedule.get(scheduleId) === set) bySchedule.delete(scheduleId);
      };
    },
    subscriptions: () => watched.size,
    close() {
      closed = true;
      for (const entry of watched.values()) {
        clearTimeout(entry.linger);
        entry.stop?.();
      }
      watched.clear();
      coalescer.close();
      any.clear();
      bySchedule.clear();
    },
  };
}

function toBroadcast(
  event: SeatEvent,
  index: ReadonlyMap<string, number> | null,
  areas: { tracker: AreaTracker; changes: AreaChange[] | null } | null,
  logger?: LiveLogger,
): Broadcast {
  const changes: SeatsChanged['changes'] = [];
  for (const change of event.changes) {
    if (areas?.tracker.isPlace(change.seatId)) continue;
    const i = index?.get(change.seatId);
    if (i === undefined) {
      // Every seat event names a seat of the performance's layout; one that does not cannot be placed.
      logger?.error({ scheduleId: event.scheduleId, seatId: change.seatId }, 'seat event for a seat not in the layout');
      continue;
    }
    changes.push({ seatId: change.seatId, index: i, status: change.status });
  }
  const wire: SeatsChanged = {
    scheduleId: event.scheduleId,
    fromVersion: event.fromVersion,
    version: event.version,
    changes,
    ...(areas?.changes?.length ? { areaChanges: areas.changes } : {}),
  };
  let bytes: Buffer | undefined;
  return {
    event: wire,
    feedMessage: () => {
      bytes ??= Buffer.from(JSON.stringify({ type: 'seats:changed', ...wire }));
      return bytes;
    },
  };
}
