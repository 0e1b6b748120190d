import autocannon, { type AutocannonResult } from 'autocannon';
import { groupsOfRow } from './arena.ts';

export interface Throughput {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** 1-minute load average when the run started. */
  load: number;
}

function summarise(result: AutocannonResult, seconds: number, load: number): Throughput {
  return {
    perSecond: result['2xx'] / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    load,
  };
}

/** GET `path` with autocannon: `connections` keep-alive connections for `seconds`. */
export async function benchGet(
  url: string,
  path: string,
  connections: number,
  seconds: number,
  headers: Record<string, string> = {},
  load = 0,
): Promise<Throughput> {
  const result = await autocannon({ url: url + path, connections, duration: seconds, headers });
  return summarise(result, seconds, load);
}

/**
 * Seat groups in an order concurrent buyers can take without the orphan rule refusing any: round robin over the
 * rows, left to right within each row, so the previous group of a row was answered long before the next is asked.
 */
export function interleavedGroups(rows: string[][], size: number): string[][] {
  const perRow = rows.map((row) => groupsOfRow(row, size));
  const longest = Math.max(0, ...perRow.map((g) => g.length));
  const out: string[][] = [];
  for (let i = 0; i < longest; i++) for (const groups of perRow) if (groups[i]) out.push(groups[i]!);
  return out;
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

/**
 * POST /holds of distinct seat groups, driven by autocannon at `connections` for `seconds`. `groups` may be a
 * cursor shared by several runs, so each run continues where the last one stopped.
 */
export async function benchHolds(options: {
  url: string;
  scheduleId: string;
  groups: string[][] | ReturnType<typeof cursor<string[]>>;
  connections: number;
  seconds: number;
  load: number;
}): Promise<Throughput & { ranOut: boolean }> {
  const groups = Array.isArray(options.groups) ? cursor(options.groups) : options.groups;
  let ranOut = false;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        method: 'POST',
        path: `/api/schedules/${options.scheduleId}/holds`,
        headers: { 'content-type': 'application/json' },
        // Out of seats: an empty seat list, answered 400 and counted as not 2xx.
        setupRequest: (request) => {
          const seatIds = groups.take();
          if (!seatIds) ranOut = true;
          return { ...request, body: JSON.stringify({ seatIds: seatIds ?? [] }) };
        },
      },
    ],
  });
  return { ...summarise(result, options.seconds, options.load), ranOut };
}
