import { describe, expect, it, vi } from 'vitest';
import { createRecovery, highest, noReservedSeats } from './recovery.ts';

function recovery(floors = new Map([['s', 7]])) {
  const load = vi.fn(async () => {});
  const raise = vi.fn(async () => 'g2');
  return {
    load,
    raise,
    recovery: createRecovery({ source: noReservedSeats, versionFloors: () => floors, load, raise }),
  };
}

describe('hold-store recovery', () => {
  it('takes the first generation it sees without raising anything, then raises once per new generation', async () => {
    const { raise, recovery: r } = recovery();
    await r.check('s', 'g1');
    await r.check('s', 'g1');
    expect(raise).not.toHaveBeenCalled();
    await Promise.all([r.check('s', 'g2'), r.check('s', 'g2')]);
    expect(raise).toHaveBeenCalledTimes(1);
    expect(raise).toHaveBeenCalledWith('s', 'g1', 7);
    await r.check('s', 'g2');
    expect(raise).toHaveBeenCalledTimes(1);
    // Another performance is its own: its first generation is taken, its floor (none) passed as -1.
    await r.check('t', 'g1');
    await r.check('t', 'g3');
    expect(raise).toHaveBeenLastCalledWith('t', 'g1', -1);
  });

  it('rebuilds once for concurrent callers, with the floor and a fresh generation it then knows as its own', async () => {
    const { load, raise, recovery: r } = recovery();
    await Promise.all([r.reload('s'), r.reload('s'), r.reload('s')]);
    expect(load).toHaveBeenCalledTimes(1);
    const [scheduleId, , floor, generation] = load.mock.calls[0] as unknown as [string, string[], number, string];
    expect([scheduleId, floor]).toEqual(['s', 7]);
    await r.check('s', generation);
    expect(raise).not.toHaveBeenCalled();
  });

  it('merges version floors, keeping the highest', () => {
    expect(
      highest(
        new Map([
          ['a', 1],
          ['b', 5],
        ]),
        new Map([['a', 3]]),
      ),
    ).toEqual(
      new Map([
        ['a', 3],
        ['b', 5],
      ]),
    );
  });
});
