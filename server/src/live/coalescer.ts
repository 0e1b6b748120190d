import type { SeatsChanged } from '@seatmap/shared';

/**
 * A version this far behind the last one emitted is not a late duplicate but a store that started counting
 * again (e.g. Redis lost its data); the coalescer then follows the new numbering instead of dropping it.
 */
const RESET_DISTANCE = 1_000;
/** After this long without events a schedule's history is forgotten (nothing left to deduplicate against). */
const FORGET_AFTER_MS = 30_000;

interface ScheduleBuffer {
  pending: SeatsChanged[];
  timer: ReturnType<typeof setTimeout> | undefined;
  lastVersion: number | undefined;
  lastAt: number;
  /** Whether the current batch already waited one extra window for a missing version. */
  waited: boolean;
}

export interface Coalescer {
  push(event: SeatsChanged): void;
  /** Emits everything pending now (used on shutdown and by tests). */
  flush(): void;
  close(): void;
}

/**
 * Buffers `seats:changed` events per schedule for `windowMs`, then emits them merged: contiguous runs
 * (a.version === b.fromVersion) become one event, events already covered by what was emitted are dropped,
 * and runs with a gap between them are emitted separately (clients detect the gap and refetch the snapshot)
 * after waiting one extra window for the missing piece.
 */
export function createCoalescer(options: { windowMs: number; emit: (event: SeatsChanged) => void }): Coalescer {
  const buffers = new Map<string, ScheduleBuffer>();

  function flushSchedule(scheduleId: string, force = false) {
    const buffer = buffers.get(scheduleId);
    if (!buffer) return;
    if (buffer.timer) clearTimeout(buffer.timer);
    buffer.timer = undefined;
    const { events, lastVersion } = mergeRuns(buffer.pending, buffer.lastVersion);
    // Nodes publish concurrently, so an earlier version can arrive a little after a later one. A batch with a
    // hole waits one more window for it instead of sending viewers into a needless resync.
    if (!force && !buffer.waited && hasGap(events, buffer.lastVersion)) {
      buffer.waited = true;
      buffer.timer = setTimeout(() => flushSchedule(scheduleId), options.windowMs);
      return;
    }
    buffer.waited = false;
    buffer.pending = [];
    buffer.lastVersion = lastVersion;
    for (const event of events) options.emit(event);
  }

  return {
    push(event) {
      const now = Date.now();
      let buffer = buffers.get(event.scheduleId);
      if (!buffer || (buffer.pending.length === 0 && now - buffer.lastAt > FORGET_AFTER_MS)) {
        buffer = { pending: [], timer: undefined, lastVersion: undefined, lastAt: now, waited: false };
        buffers.set(event.scheduleId, buffer);
      }
      buffer.lastAt = now;
      buffer.pending.push(event);
      buffer.timer ??= setTimeout(() => flushSchedule(event.scheduleId), options.windowMs);
    },
    flush() {
      for (const scheduleId of buffers.keys()) flushSchedule(scheduleId, true);
    },
    close() {
      for (const buffer of buffers.values()) if (buffer.timer) clearTimeout(buffer.timer);
      buffers.clear();
    },
  };
}

/** Sorts by fromVersion and merges contiguous runs; `covered` is the last version already emitted. */
export function mergeRuns(
  pending: SeatsChanged[],
  covered: number | undefined,
): { events: SeatsChanged[]; lastVersion: number | undefined } {
  const sorted = [...pending].sort((a, b) => a.fromVersion - b.fromVersion || a.version - b.version);
  const out: SeatsChanged[] = [];
  let current: SeatsChanged | undefined;
  let cursor = covered;
  for (const original of sorted) {
    let event = original;
    if (cursor !== undefined && event.version <= cursor) {
      if (cursor - event.version < RESET_DISTANCE) continue;
      cursor = undefined;
    }
    if (cursor !== undefined && event.fromVersion < cursor) event = trimTo(event, cursor);
    if (current && current.version === event.fromVersion) {
      current = { ...current, version: event.version, changes: current.changes.concat(event.changes) };
    } else {
      if (current) out.push(current);
      current = { ...event, changes: [...event.changes] };
    }
    cursor = event.version;
  }
  if (current) out.push(current);
  return { events: out, lastVersion: cursor };
}

function hasGap(events: SeatsChanged[], covered: number | undefined): boolean {
  if (events.length > 1) return true;
  return covered !== undefined && events.length === 1 && events[0]!.fromVersion > covered;
}

/**
 * Drops the part of an event that was already emitted. Only possible when it carries one change per version
 * step (as the hold store writes them); otherwise it is left whole and the client sees the overlap as a gap.
 */
function trimTo(event: SeatsChanged, version: number): SeatsChanged {
  if (event.version - event.fromVersion !== event.changes.length) return event;
  return { ...event, fromVersion: version, changes: event.changes.slice(version - event.fromVersion) };
}
