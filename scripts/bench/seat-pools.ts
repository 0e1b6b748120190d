import type { SeatMap } from '@seatmap/shared';

/** Seat ids per row in position order (seat numbers end in the position, e.g. A01). */
export function rowsOf(map: SeatMap): string[][] {
  const rows = new Map<string, { id: string; position: number }[]>();
  for (const seat of map.seats) {
    const key = `${seat.section}|${seat.row}`;
    const row = rows.get(key) ?? [];
    row.push({ id: seat.id, position: Number(/\d+$/.exec(seat.seatNumber)?.[0] ?? seat.x) });
    rows.set(key, row);
  }
  return [...rows.values()].map((row) => row.sort((a, b) => a.position - b.position).map((s) => s.id));
}

/**
 * Distinct groups of `size` adjacent seats, taken left to right so that no pick strands a single seat (the orphan
 * rule would refuse it): each group starts at the left edge of what is left of its row, and a group that would
 * leave exactly one seat at the row's end is skipped.
 */
export function adjacentGroups(rows: string[][], size: number): string[][] {
  const groups: string[][] = [];
  for (const row of rows) {
    for (let start = 0; start + size <= row.length; start += size) {
      const rest = row.length - (start + size);
      if (rest === 1) break;
      groups.push(row.slice(start, start + size));
    }
  }
  return groups;
}

/** Hands out items one by one to concurrent workers; null once exhausted. */
export function cursor<T>(items: T[]) {
  let next = 0;
  return {
    take: (): T | null => (next < items.length ? items[next++]! : null),
    get used() {
      return next;
    },
  };
}
