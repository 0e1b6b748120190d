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
    await r.check('g1');
    await r.check('g1');
    expect(raise).not.toHaveBeenCalled();
    await Promise.all([r.check('g2'), r.check('g2')]);
    expect(raise).toHaveBeenCalledTimes(1);
    expect(raise).toHaveBeenCalledWith('g1', new Map([['s', 7]]));
    await r.check('g2');
    expect(raise).toHaveBeenCalledTimes(1);
  });

  it('rebuilds once for concurrent callers, with the floors and a fresh generation it then knows as its own', async () => {
    const { load, raise, recovery: r } = recovery();
    await Promise.all([r.reload(), r.reload(), r.reload()]);
    expect(load).toHaveBeenCalledTimes(1);
    const [, floors, generation] = load.mock.calls[0] as unknown as [unknown, Map<string, number>, string];
    expect(floors).toEqual(new Map([['s', 7]]));
    await r.check(generation);
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
