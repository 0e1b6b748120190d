import type { Layout, ScheduleStatus, SeatsChanged } from '@seatmap/shared';
import { describe, expect, it, vi } from 'vitest';
import {
  decodeStatuses,
  type LayoutStatusApi,
  type LayoutVersions,
  layoutStatusSource,
  prefetchSnapshot,
} from './seat-snapshot.ts';
import { SeatSync } from './seat-sync.ts';

const scheduleId = '33333333-3333-4333-8333-333333333333';
const seatId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

function layoutOf(layoutVersion: string, count: number, price = 150000): Layout {
  return {
    scheduleId,
    layoutVersion,
    areas: [],
    seats: Array.from({ length: count }, (_, i) => ({
      id: seatId(i),
      seatNumber: `A${String(i + 1).padStart(2, '0')}`,
      section: 'A',
      row: 'A',
      x: i * 10,
      y: 0,
      grade: 'R',
      price,
      accessible: false,
      companion: false,
    })),
  };
}

/** A fake server: answers the current status and layout, and records every request. */
function fakeServer(initial: { version: number; statuses: string; layout: Layout }) {
  const state = { ...initial };
  const requests: string[] = [];
  const kept: string[] = [];
  const from: LayoutStatusApi = {
    keep: (id, v) => kept.push(`${id} v=${v}`),
    status: async (id): Promise<ScheduleStatus> => {
      requests.push(`status ${id}`);
      return {
        scheduleId: id,
        version: state.version,
        layoutVersion: state.layout.layoutVersion,
        statuses: state.statuses,
        areas: [],
      };
    },
    layout: async (id, v) => {
      requests.push(`layout ${id} v=${v}`);
      return state.layout;
    },
  };
  return { state, requests, kept, from };
}

function memoryVersions(start: Record<string, string> = {}): LayoutVersions & { saved: Record<string, string> } {
  const saved = { ...start };
  return {
    saved,
    get: (id) => saved[id] ?? null,
    set: (id, v) => {
      saved[id] = v;
    },
  };
}

describe('decodeStatuses', () => {
  it('turns SPEC §9 characters into status codes, one per seat', () => {
    expect([...decodeStatuses('ahra')]).toEqual([0, 1, 2, 0]);
    expect(decodeStatuses('').length).toBe(0);
  });

  it('refuses a character it does not know, naming where', () => {
    expect(() => decodeStatuses('aaXa')).toThrow(/"X" at 2/);
    expect(() => decodeStatuses('a\u0161')).toThrow(/at 1/);
  });

  it('decodes a 50,000-seat stadium', () => {
    const statuses = 'ahr'.repeat(16_667).slice(0, 50_000);
    const codes = decodeStatuses(statuses);
    expect(codes.length).toBe(50_000);
    expect(codes[49_999]).toBe(49_999 % 3);
  });
});

describe('layoutStatusSource', () => {
  it('carries the standing areas with the status’s count of free places (SPEC §12)', async () => {
    const floor = {
      id: seatId(900),
      name: 'Floor',
      grade: 'F',
      price: 99_000,
      capacity: 50,
      x: 0,
      y: 5,
      width: 9,
      height: 4,
    };
    const layout = { ...layoutOf('v1', 2), areas: [floor] };
    const source = layoutStatusSource(
      scheduleId,
      {
        status: async () => ({
          scheduleId,
          version: 3,
          layoutVersion: 'v1',
          statuses: 'aa',
          areas: [{ id: floor.id, available: 47 }],
        }),
        layout: async () => layout,
      },
      memoryVersions(),
    );
    expect((await source()).areas).toEqual([{ ...floor, available: 47 }]);
  });

  it('fetches the layout once at its version; every later snapshot is the status only', async () => {
    const server = fakeServer({ version: 3, statuses: 'ahr', layout: layoutOf('L1', 3) });
    const source = layoutStatusSource(scheduleId, server.from, memoryVersions());
    const first = await source();
    expect(first.version).toBe(3);
    expect(first.seats.map((s) => s.id)).toEqual([seatId(0), seatId(1), seatId(2)]);
    expect([...first.codes]).toEqual([0, 1, 2]);
    // A first visit asks for the current layout beside the status, not after it.
    expect(server.requests).toEqual([`status ${scheduleId}`, `layout ${scheduleId} v=null`]);
    // …and keeps it at its versioned URL for the next visit.
    expect(server.kept).toEqual([`${scheduleId} v=L1`]);

    server.state.version = 7;
    server.state.statuses = 'rrr';
    const again = await source();
    expect(again.version).toBe(7);
    expect([...again.codes]).toEqual([2, 2, 2]);
    // The same layout object: nothing about the seats was fetched or decoded again.
    expect(again.seats).toBe(first.seats);
    expect(server.requests.slice(2)).toEqual([`status ${scheduleId}`]);
  });

  it('fetches the new layout when the box office changed it', async () => {
    const server = fakeServer({ version: 1, statuses: 'aa', layout: layoutOf('L1', 2) });
    const source = layoutStatusSource(scheduleId, server.from, memoryVersions());
    await source();
    server.state.layout = layoutOf('L2', 2, 99000);
    const next = await source();
    expect(next.seats[0]?.price).toBe(99000);
    expect(server.requests.slice(2)).toEqual([`status ${scheduleId}`, `layout ${scheduleId} v=L2`]);
  });

  it('asks for the status again when the layout changed between the two requests, and gives up after three', async () => {
    const server = fakeServer({ version: 1, statuses: 'aa', layout: layoutOf('L1', 2) });
    // The status names L0, the layout answered is L1 (the status is older): the second round matches.
    let statusCalls = 0;
    const from: LayoutStatusApi = {
      status: async (id) => ({ ...(await server.from.status(id)), layoutVersion: statusCalls++ === 0 ? 'L0' : 'L1' }),
      layout: server.from.layout,
    };
    const snapshot = await layoutStatusSource(scheduleId, from, memoryVersions())();
    expect([...snapshot.codes]).toEqual([0, 0]);
    expect(server.requests).toEqual([
      `status ${scheduleId}`,
      `layout ${scheduleId} v=null`,
      `layout ${scheduleId} v=L0`,
      `status ${scheduleId}`,
    ]);

    const never: LayoutStatusApi = {
      status: async (id) => ({ ...(await server.from.status(id)), layoutVersion: 'L9' }),
      layout: server.from.layout,
    };
    await expect(layoutStatusSource(scheduleId, never, memoryVersions())()).rejects.toThrow(/does not match/);
  });

  it('refuses a status whose length is not the layout’s', async () => {
    const server = fakeServer({ version: 1, statuses: 'aaa', layout: layoutOf('L1', 2) });
    await expect(layoutStatusSource(scheduleId, server.from, memoryVersions())()).rejects.toThrow(/does not match/);
  });

  it('on a return visit asks for the remembered layout beside the status, and remembers the version', async () => {
    const server = fakeServer({ version: 2, statuses: 'ah', layout: layoutOf('L1', 2) });
    let releaseStatus!: () => void;
    const statusGate = new Promise<void>((r) => (releaseStatus = r));
    const from: LayoutStatusApi = {
      status: async (id) => {
        const answer = server.from.status(id);
        await statusGate;
        return answer;
      },
      layout: server.from.layout,
    };
    const versions = memoryVersions({ [scheduleId]: 'L1' });
    const loading = layoutStatusSource(scheduleId, from, versions)();
    await Promise.resolve();
    // The layout is on its way before the status has answered.
    expect(server.requests).toEqual([`status ${scheduleId}`, `layout ${scheduleId} v=L1`]);
    releaseStatus();
    expect([...(await loading).codes]).toEqual([0, 1]);
    expect(server.requests).toHaveLength(2);
    expect(server.kept).toEqual([]);

    // A stale memory: the server answers a stale ?v= with the current layout (not cached for good), which fits the
    // status — no second request — and the memory is corrected.
    const stale = fakeServer({ version: 2, statuses: 'ah', layout: layoutOf('L2', 2) });
    const old = memoryVersions({ [scheduleId]: 'L1' });
    await layoutStatusSource(scheduleId, stale.from, old)();
    expect(stale.requests).toEqual([`status ${scheduleId}`, `layout ${scheduleId} v=L1`]);
    expect(stale.kept).toEqual([`${scheduleId} v=L2`]);
    expect(old.saved[scheduleId]).toBe('L2');
  });
});

describe('prefetchSnapshot', () => {
  it('the first snapshot takes the answers asked for while the waiting-room check ran', async () => {
    const server = fakeServer({ version: 4, statuses: 'ah', layout: layoutOf('L1', 2) });
    const id = '44444444-4444-4444-8444-444444444444';
    prefetchSnapshot(id, server.from, 1000);
    prefetchSnapshot(id, server.from, 1000);
    expect(server.requests).toEqual([`status ${id}`, `layout ${id} v=null`]);
    const snapshot = await layoutStatusSource(id, server.from, memoryVersions(), () => 1500)();
    expect([...snapshot.codes]).toEqual([0, 1]);
    expect(server.requests).toHaveLength(2);
    // Taken once: the next page asks afresh.
    await layoutStatusSource(id, server.from, memoryVersions(), () => 1500)();
    expect(server.requests.slice(2)).toEqual([`status ${id}`, `layout ${id} v=null`]);
  });

  it('a status older than 10 s is asked for again; its layout is still used', async () => {
    const server = fakeServer({ version: 4, statuses: 'aa', layout: layoutOf('L1', 2) });
    const id = '55555555-5555-4555-8555-555555555555';
    prefetchSnapshot(id, server.from, 1000);
    server.state.version = 9;
    server.state.statuses = 'rr';
    const snapshot = await layoutStatusSource(id, server.from, memoryVersions(), () => 60_000)();
    expect(snapshot.version).toBe(9);
    expect([...snapshot.codes]).toEqual([2, 2]);
    expect(server.requests).toEqual([`status ${id}`, `layout ${id} v=null`, `status ${id}`]);
  });
});

describe('SeatSync on the layout + status source', () => {
  it('an open page takes a layout the box office changed: a new store on the new seats, all redrawn', async () => {
    const server = fakeServer({ version: 1, statuses: 'aa', layout: layoutOf('L1', 2) });
    const heard: (readonly number[] | 'all')[] = [];
    const sync = new SeatSync(layoutStatusSource(scheduleId, server.from, memoryVersions()), (c) => heard.push(c));
    await sync.resync();
    const first = sync.store;
    // Same layout: the store is kept and only changed seats are named.
    server.state.version = 2;
    server.state.statuses = 'ha';
    await sync.resync();
    expect(sync.store).toBe(first);
    expect(heard).toEqual(['all', [0]]);

    server.state.version = 3;
    server.state.layout = layoutOf('L2', 3, 99000);
    server.state.statuses = 'hra';
    await sync.resync();
    expect(sync.store).not.toBe(first);
    expect(sync.store?.seats.map((seat) => seat.price)).toEqual([99000, 99000, 99000]);
    expect([0, 1, 2].map((i) => sync.store?.statusOf(i))).toEqual(['held', 'reserved', 'available']);
    expect(heard.at(-1)).toBe('all');
    expect(server.requests.slice(-2)).toEqual([`status ${scheduleId}`, `layout ${scheduleId} v=L2`]);
    sync.dispose();
  });

  const change = (fromVersion: number, version: number, index: number, status: 'held' | 'available'): SeatsChanged => ({
    scheduleId,
    fromVersion,
    version,
    changes: [{ seatId: seatId(index), index, status }],
  });

  it('a resync after a gap or a reconnect fetches the status only', async () => {
    const server = fakeServer({ version: 5, statuses: 'aaaa', layout: layoutOf('L1', 4) });
    const sync = new SeatSync(layoutStatusSource(scheduleId, server.from, memoryVersions()), () => {});
    await sync.resync();
    expect(server.requests).toEqual([`status ${scheduleId}`, `layout ${scheduleId} v=null`]);

    sync.handleEvent(change(5, 6, 1, 'held'));
    expect(sync.store?.statusOf(1)).toBe('held');
    expect(server.requests).toHaveLength(2);

    // A gap: versions 7–8 were lost; the server is at 9.
    server.state.version = 9;
    server.state.statuses = 'hhra';
    sync.handleEvent(change(8, 9, 3, 'available'));
    await vi.waitFor(() => expect(sync.store?.version).toBe(9));
    expect([0, 1, 2, 3].map((i) => sync.store?.statusOf(i))).toEqual(['held', 'held', 'reserved', 'available']);

    // A reconnect (the page resyncs on every rejoin).
    server.state.version = 10;
    server.state.statuses = 'aaaa';
    await sync.resync();
    expect(sync.store?.statusOf(0)).toBe('available');
    expect(server.requests.slice(2)).toEqual([`status ${scheduleId}`, `status ${scheduleId}`]);
    sync.dispose();
  });
});
