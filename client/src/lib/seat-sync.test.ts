import type { SeatsChanged } from '@seatmap/shared';
import { describe, expect, it } from 'vitest';
import { fromSeatMap, type SeatSnapshot } from './seat-snapshot.ts';
import { SeatSync } from './seat-sync.ts';

const ids = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];
const scheduleId = '33333333-3333-4333-8333-333333333333';

function snapshot(version: number, statuses: ('available' | 'held' | 'reserved')[]): SeatSnapshot {
  return fromSeatMap({
    scheduleId,
    version,
    seats: ids.map((id, i) => ({
      id,
      seatNumber: `A0${i + 1}`,
      section: 'A',
      row: 'A',
      x: i * 10,
      y: 0,
      grade: 'R',
      price: 150000,
      status: statuses[i] ?? 'available',
    })),
  });
}

function event(fromVersion: number, version: number, seat: number, status: 'available' | 'held'): SeatsChanged {
  return { scheduleId, fromVersion, version, changes: [{ seatId: ids[seat]!, index: seat, status }] };
}

describe('SeatSync', () => {
  it('applies consecutive events, ignores stale ones and refetches on a gap', async () => {
    const served = [snapshot(5, ['available', 'available']), snapshot(9, ['held', 'reserved'])];
    let fetches = 0;
    const sync = new SeatSync(
      async () => served[Math.min(fetches++, 1)]!,
      () => {},
    );
    await sync.resync();
    sync.handleEvent(event(5, 6, 0, 'held'));
    expect(sync.store?.statusOf(0)).toBe('held');
    sync.handleEvent(event(4, 5, 0, 'available'));
    expect(sync.store?.statusOf(0)).toBe('held');
    expect(sync.store?.version).toBe(6);
    sync.handleEvent(event(7, 9, 1, 'held'));
    await new Promise((r) => setTimeout(r, 0));
    expect(fetches).toBe(2);
    expect(sync.store?.version).toBe(9);
    expect(sync.store?.statusOf(1)).toBe('reserved');
  });

  it('buffers events that arrive while the first snapshot loads', async () => {
    let release!: (m: SeatSnapshot) => void;
    const sync = new SeatSync(
      () => new Promise((r) => (release = r)),
      () => {},
    );
    const loaded = sync.resync();
    sync.handleEvent(event(3, 4, 1, 'held'));
    release(snapshot(3, ['available', 'available']));
    await loaded;
    expect(sync.store?.statusOf(1)).toBe('held');
    expect(sync.store?.version).toBe(4);
  });

  it('refetches when the join ack is ahead of the snapshot', async () => {
    let fetches = 0;
    const sync = new SeatSync(
      async () => snapshot(fetches++ === 0 ? 1 : 2, ['available', 'held']),
      () => {},
    );
    await sync.resync();
    sync.handleJoined(1);
    expect(fetches).toBe(1);
    sync.handleJoined(2);
    await new Promise((r) => setTimeout(r, 0));
    expect(fetches).toBe(2);
    expect(sync.store?.statusOf(1)).toBe('held');
  });

  it('does not refetch in a tight loop when the snapshot stays behind the events', async () => {
    let fetches = 0;
    const sync = new SeatSync(
      async () => {
        fetches++;
        return snapshot(1, ['available', 'available']);
      },
      () => {},
    );
    await sync.resync();
    sync.handleEvent(event(5, 6, 0, 'held'));
    await new Promise((r) => setTimeout(r, 200));
    expect(fetches).toBeGreaterThanOrEqual(2);
    expect(fetches).toBeLessThanOrEqual(4);
    sync.dispose();
  });
});
