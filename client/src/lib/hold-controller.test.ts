import type { Hold } from '@seatmap/shared';
import { describe, expect, it } from 'vitest';
import { HoldController, type HoldControllerOptions } from './hold-controller.ts';
import { ApiError } from './http.ts';

const scheduleId = '33333333-3333-4333-8333-333333333333';
const seat = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const [A, B, C, D, E] = [1, 2, 3, 4, 5].map(seat) as [string, string, string, string, string];

interface Call {
  kind: 'create' | 'patch' | 'release';
  holdId?: string;
  body?: unknown;
  answered?: boolean;
  resolve(value?: Hold): void;
  reject(err: unknown): void;
}

/** A hold API whose answers the test gives, one call at a time, so it can click while a request is out. */
function fakeServer() {
  const calls: Call[] = [];
  const waiting: ((call: Call) => void)[] = [];
  let holds = 0;
  const record = (call: Pick<Call, 'kind' | 'holdId' | 'body'>) =>
    new Promise<Hold | undefined>((resolve, reject) => {
      const full = { ...call, resolve, reject };
      calls.push(full);
      waiting.shift()?.(full);
    });
  return {
    calls,
    api: {
      create: (body: unknown) => record({ kind: 'create', body }) as Promise<Hold>,
      patch: (holdId: string, body: unknown) => record({ kind: 'patch', holdId, body }) as Promise<Hold>,
      release: (holdId: string) => record({ kind: 'release', holdId }).then(() => undefined),
    },
    /** The next call (already made, or the next one to come). */
    next(): Promise<Call> {
      const made = calls.find((c) => !c.answered);
      if (made) return Promise.resolve(made);
      return new Promise((resolve) => waiting.push(resolve));
    },
    /** Answers the next call with a hold of these seats (a new hold for a create). */
    async answer(seatIds?: string[], area?: { id: string; quantity: number }): Promise<Call> {
      const call = await this.next();
      call.answered = true;
      const holdId = call.holdId ?? `hold-${++holds}`;
      call.resolve(
        seatIds && { holdId, scheduleId, seatIds, expiresAt: '2030-01-01T00:00:00.000Z', ...(area && { area }) },
      );
      return call;
    },
    async fail(err: unknown): Promise<Call> {
      const call = await this.next();
      call.answered = true;
      call.reject(err);
      return call;
    },
  };
}

function setup(overrides: Partial<HoldControllerOptions> = {}) {
  const server = fakeServer();
  const persisted: (string[] | null)[] = [];
  let lost = 0;
  const controller = new HoldController({
    api: server.api,
    maxSeats: 4,
    persist: (hold) => persisted.push(hold ? hold.seatIds : null),
    onLost: () => lost++,
    ...overrides,
  });
  return { server, controller, persisted, lost: () => lost };
}

const conflict = (ids: string[]) => new ApiError(409, 'SEAT_UNAVAILABLE', 'taken', { unavailableSeatIds: ids });

describe('HoldController', () => {
  it('holds on the first seat, PATCHes later ones and releases with the last', async () => {
    const { server, controller, persisted } = setup();
    expect(controller.toggle(A, true)).toBe('added');
    expect(controller.stateOf(A)).toBe('saving');
    expect(await server.answer([A])).toMatchObject({ kind: 'create', body: { seatIds: [A] } });
    await controller.idle();
    expect(controller.current?.seatIds).toEqual([A]);
    expect(controller.stateOf(A)).toBe('held');

    controller.toggle(B, true);
    expect(await server.answer([A, B])).toMatchObject({ kind: 'patch', holdId: 'hold-1', body: { add: [B] } });
    await controller.idle();

    controller.toggle(A, true);
    expect(controller.isReleasing(A)).toBe(true);
    expect(await server.answer([B])).toMatchObject({ kind: 'patch', body: { remove: [A] } });
    controller.toggle(B, true);
    expect(await server.answer()).toMatchObject({ kind: 'release', holdId: 'hold-1' });
    await controller.idle();
    expect(controller.current).toBeNull();
    expect(persisted).toEqual([[A], [A, B], [B], null]);
  });

  it('sends one request at a time: clicks made while one is out go together in the next', async () => {
    const { server, controller } = setup();
    controller.toggle(A, true);
    controller.toggle(B, true);
    controller.toggle(C, true);
    controller.toggle(B, true); // changed their mind before anything was sent about B
    expect(server.calls).toHaveLength(1);
    await server.answer([A]);
    expect(await server.answer([A, C])).toMatchObject({ kind: 'patch', body: { add: [C] } });
    await controller.idle();
    expect(server.calls).toHaveLength(2);
    expect(controller.seats).toEqual([A, C]);
  });

  it('names the seat someone else took first and holds the others', async () => {
    const { server, controller } = setup();
    controller.toggle(A, true);
    controller.toggle(B, true);
    controller.toggle(C, true);
    await server.answer([A]);
    // B and C went together (all or nothing); C was taken: B alone is asked for again.
    expect(await server.fail(conflict([C]))).toMatchObject({ kind: 'patch', body: { add: [B, C] } });
    expect(await server.answer([A, B])).toMatchObject({ kind: 'patch', body: { add: [B] } });
    await controller.idle();
    expect(controller.seats).toEqual([A, B]);
    expect(controller.notice).toEqual({ kind: 'lost', seatIds: [C] });
  });

  it('keeps a seat the orphan rule refused until the next click, then asks with both', async () => {
    const { server, controller } = setup();
    controller.toggle(B, true);
    await server.fail(new ApiError(409, 'ORPHAN_SEAT', 'alone', { strandedSeatIds: [A] }));
    await controller.idle();
    expect(controller.current).toBeNull();
    expect(controller.stateOf(B)).toBe('refused');
    expect(controller.notice).toEqual({ kind: 'orphan', added: [B], removed: [], strandedSeatIds: [A] });
    expect(server.calls).toHaveLength(1); // not retried by itself
    controller.toggle(A, true);
    expect(await server.answer([B, A])).toMatchObject({ kind: 'create', body: { seatIds: [B, A] } });
    await controller.idle();
    expect(controller.stateOf(B)).toBe('held');
    expect(controller.notice).toBeNull();
  });

  it('keeps a held seat whose release the orphan rule refused', async () => {
    const { server, controller } = setup({
      hold: { holdId: 'h', scheduleId, seatIds: [A, B, C], expiresAt: '2030-01-01T00:00:00.000Z' },
    });
    controller.toggle(B, true);
    await server.fail(new ApiError(409, 'ORPHAN_SEAT', 'alone', { strandedSeatIds: [B] }));
    await controller.idle();
    expect(controller.seats).toEqual([A, C, B]);
    expect(controller.stateOf(B)).toBe('held');
    expect(controller.notice).toMatchObject({ kind: 'orphan', added: [], removed: [B] });
  });

  it('refuses a seat beyond the limit and a taken seat without asking the server', () => {
    const { server, controller } = setup({ maxSeats: 2 });
    controller.toggle(A, true);
    controller.toggle(B, true);
    expect(controller.toggle(C, true)).toBe('limit');
    expect(controller.notice).toEqual({ kind: 'limit', max: 2 });
    expect(controller.toggle(D, false)).toBe('unavailable');
    expect(server.calls).toHaveLength(1);
  });

  it('undoes a change the server could not make and says why', async () => {
    const { server, controller } = setup();
    controller.toggle(A, true);
    await server.answer([A]);
    await controller.idle();
    controller.toggle(B, true);
    const down = new ApiError(0, 'SERVICE_UNAVAILABLE', 'offline');
    await server.fail(down);
    await controller.idle();
    expect(controller.seats).toEqual([A]);
    expect(controller.notice).toEqual({ kind: 'failed', error: down });
  });

  it('treats a vanished hold as expired', async () => {
    const { server, controller, lost } = setup({
      hold: { holdId: 'h', scheduleId, seatIds: [A], expiresAt: '2030-01-01T00:00:00.000Z' },
    });
    controller.toggle(B, true);
    await server.fail(new ApiError(404, 'HOLD_NOT_FOUND', 'gone'));
    await controller.idle();
    expect(lost()).toBe(1);
    expect(controller.current).toBeNull();
    expect(controller.seats).toEqual([]);
  });

  it('leaving while the hold is being made releases it once it exists: no orphaned hold', async () => {
    const { server, controller } = setup();
    controller.toggle(A, true);
    const left = controller.abandon();
    await server.answer([A]);
    expect(await server.answer()).toMatchObject({ kind: 'release', holdId: 'hold-1' });
    await left;
    expect(controller.current).toBeNull();
  });

  it('a hold answered after forget() (expired, booked elsewhere) is given back, not adopted', async () => {
    const { server, controller, persisted } = setup();
    controller.toggle(A, true);
    controller.forget();
    await server.answer([A]);
    expect(await server.answer()).toMatchObject({ kind: 'release', holdId: 'hold-1' });
    await controller.idle();
    expect(persisted).toEqual([]);
    expect(controller.current).toBeNull();
  });

  it('best available releases the current hold first, then takes the seats the server picks', async () => {
    const { server, controller } = setup({
      hold: { holdId: 'h', scheduleId, seatIds: [A], expiresAt: '2030-01-01T00:00:00.000Z' },
    });
    controller.bestAvailable(2, 'S');
    expect(await server.answer()).toMatchObject({ kind: 'release', holdId: 'h' });
    expect(await server.answer([D, E])).toMatchObject({
      kind: 'create',
      body: { bestAvailable: { count: 2, grade: 'S' } },
    });
    await controller.idle();
    expect(controller.seats).toEqual([D, E]);
    expect(controller.stateOf(D)).toBe('held');
  });

  it('best available can ask for a wheelchair space with companion seats beside it', async () => {
    const { server, controller } = setup();
    controller.bestAvailable(2, undefined, 1);
    expect(await server.answer([D, E])).toMatchObject({
      kind: 'create',
      body: { bestAvailable: { count: 2, accessible: 1 } },
    });
  });

  it('drops wanted seats the live map shows taken, except those on their way', async () => {
    const { server, controller } = setup();
    controller.toggle(A, true); // sent at once
    controller.toggle(B, true); // waits for A's answer
    expect(controller.dropTaken((id) => id === A || id === B)).toEqual([B]);
    await server.answer([A]);
    await controller.idle();
    expect(controller.seats).toEqual([A]);
    expect(controller.notice).toEqual({ kind: 'lost', seatIds: [B] });
  });

  it('standing places: held by quantity, made again with the seats when the quantity changes, counted in the limit', async () => {
    const floor = 'area-floor';
    const { server, controller } = setup();
    expect(controller.chooseArea(floor, 2)).toBe('ok');
    expect(await server.answer([], { id: floor, quantity: 2 })).toMatchObject({
      kind: 'create',
      body: { area: { id: floor, quantity: 2 } },
    });
    await controller.idle();
    expect(controller.areaHeld).toBe(true);
    controller.toggle(A, true);
    expect(await server.answer([A], { id: floor, quantity: 2 })).toMatchObject({ kind: 'patch', body: { add: [A] } });
    await controller.idle();
    // Seats + places are what the per-hold limit counts (4 here).
    expect(controller.chooseArea(floor, 4)).toBe('limit');
    expect(controller.chooseArea(floor, 3)).toBe('ok');
    expect(controller.areaHeld).toBe(false);
    expect(await server.answer()).toMatchObject({ kind: 'release', holdId: 'hold-1' });
    expect(await server.answer([A], { id: floor, quantity: 3 })).toMatchObject({
      kind: 'create',
      body: { seatIds: [A], area: { id: floor, quantity: 3 } },
    });
    await controller.idle();
    expect(controller.current?.area).toEqual({ id: floor, quantity: 3 });
    expect(controller.toggle(B, true)).toBe('limit');
  });

  it('an area with fewer places left than asked leaves the selection and says how many are left', async () => {
    const { server, controller } = setup();
    controller.toggle(A, true);
    controller.chooseArea('area-floor', 3);
    await server.answer([A]);
    expect(await server.answer()).toMatchObject({ kind: 'release' });
    await server.fail(new ApiError(409, 'AREA_SOLD_OUT', 'sold out', { areaId: 'area-floor', available: 1 }));
    expect(await server.answer([A])).toMatchObject({ kind: 'create', body: { seatIds: [A] } });
    await controller.idle();
    expect(controller.areaWanted).toBeNull();
    expect(controller.seats).toEqual([A]);
    expect(controller.notice).toEqual({ kind: 'area', areaId: 'area-floor', available: 1 });
  });
});
