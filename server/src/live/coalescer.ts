import type { SeatEvent } from '../holds/seat-event.ts';

/** What coalescing needs of an event: a version range and one change per version step. */
export interface VersionedEvent {
  fromVersion: number;
  version: number;
  changes: readonly unknown[];
}

export interface Coalescer {
  push(event: SeatEvent): void;
  /** Drops a schedule's state (no one listens to it on this node any more). */
  forget(scheduleId: string): void;
  /** Emits everything pending now (used on shutdown and by tests). */
  flush(): void;
  close(): void;
}

interface ScheduleBuffer {
  pending: SeatEvent[];
  timer: ReturnType<typeof setTimeout> | undefined;
  /** The last version emitted. */
  cursor: number | undefined;
  /** The next flush comes no earlier than this (`now()` time): spacing after a costly fan-out. */
  notBefore: number;
}

/**
 * A flush that took `t` ms to hand its events to every socket (thousands of writes for a stadium) is followed by at
 * least `FANOUT_SPACING × t` ms without one for that performance: on a node short of CPU, fan-out takes at most about
 * a quarter of its time, HTTP requests keep being served, and a flood of changes becomes fewer, larger messages
 * instead of a queue that grows. A node with CPU to spare flushes every window as before.
 */
export const FANOUT_SPACING = 3;
/** The spacing never stretches a window past this. */
export const MAX_SPACING_MS = 1000;

/**
 * Buffers a schedule's events for `windowMs` after the first one arrives (longer after a costly fan-out, see
 * FANOUT_SPACING), then emits them merged: contiguous runs (a.version === b.fromVersion) become one event, anything
 * already emitted is dropped. Events arrive in version order (the bus guarantees it), so nothing waits for a late
 * version and nothing is reordered: a run that does not continue the last one is a real loss and goes out as it
 * is — clients see `fromVersion` ≠ their version and resync. `now` (ms) times the fan-out; tests may pass a clock.
 */
export function createCoalescer(options: {
  windowMs: number;
  emit: (event: SeatEvent) => void;
  now?: () => number;
}): Coalescer {
  const buffers = new Map<string, ScheduleBuffer>();
  const now = options.now ?? (() => performance.now());

  function flushSchedule(buffer: ScheduleBuffer) {
    if (buffer.timer) clearTimeout(buffer.timer);
    buffer.timer = undefined;
    const { events, lastVersion } = mergeRuns(buffer.pending, buffer.cursor);
    buffer.pending = [];
    buffer.cursor = lastVersion;
    const started = now();
    for (const event of events) options.emit(event);
    const ended = now();
    buffer.notBefore = ended + Math.min(MAX_SPACING_MS, FANOUT_SPACING * (ended - started));
  }

  return {
    push(event) {
      let buffer = buffers.get(event.scheduleId);
      if (!buffer) {
        buffer = { pending: [], timer: undefined, cursor: undefined, notBefore: 0 };
        buffers.set(event.scheduleId, buffer);
      }
      buffer.pending.push(event);
      const target = buffer;
      buffer.timer ??= setTimeout(() => flushSchedule(target), Math.max(options.windowMs, buffer.notBefore - now()));
    },
    forget(scheduleId) {
      const buffer = buffers.get(scheduleId);
      if (buffer?.timer) clearTimeout(buffer.timer);
      buffers.delete(scheduleId);
    },
    flush() {
      for (const buffer of buffers.values()) flushSchedule(buffer);
    },
    close() {
      for (const buffer of buffers.values()) if (buffer.timer) clearTimeout(buffer.timer);
      buffers.clear();
    },
  };
}

/**
 * Merges contiguous runs of events that arrive in version order; `covered` is the last version already sent, so
 * events at or below it are dropped and a partial overlap is trimmed. A run that starts past the previous one's end
 * (a gap) starts a new event.
 */
export function mergeRuns<E extends VersionedEvent>(
  events: readonly E[],
  covered: number | undefined,
): { events: E[]; lastVersion: number | undefined } {
  const out: E[] = [];
  let current: E | undefined;
  let cursor = covered;
  for (const original of events) {
    if (cursor !== undefined && original.version <= cursor) continue;
    const event = cursor !== undefined && original.fromVersion < cursor ? trimTo(original, cursor) : original;
    if (current && current.version === event.fromVersion) {
      current = { ...current, version: event.version, changes: current.changes.concat(event.changes) };
    } else {
      if (current) out.push(current);
      current = event;
    }
    cursor = event.version;
  }
  if (current) out.push(current);
  return { events: out, lastVersion: cursor };
}

/**
 * Drops the part of an event that was already sent. Only possible when it carries one change per version step (as
 * the hold store writes them); otherwise it is left whole and the client sees the overlap as a gap.
 */
function trimTo<E extends VersionedEvent>(event: E, version: number): E {
  if (event.version - event.fromVersion !== event.changes.length) return event;
  return { ...event, fromVersion: version, changes: event.changes.slice(version - event.fromVersion) };
}
