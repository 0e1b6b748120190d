import { announce } from '../components/announcer.ts';
import { areaLabel } from '../components/area-picker.ts';
import { type PresaleCodeCard, presaleCodeCard } from '../components/presale-code.ts';
import type { SummaryState } from '../components/selection-summary.ts';
import { api, bookingApi, type ConcertDetail, limits, type ScheduleSummary } from '../lib/api.ts';
import { h, mount } from '../lib/dom.ts';
import { formatDateTime, safeTimeZone } from '../lib/format.ts';
import type { HoldController, HoldNotice } from '../lib/hold-controller.ts';
import { holdControllerFor } from '../lib/hold-flow.ts';
import { holdSession } from '../lib/hold-session.ts';
import { ApiError } from '../lib/http.ts';
import { t } from '../lib/i18n.ts';
import { joinRoom } from '../lib/live.ts';
import { describeError } from '../lib/load.ts';
import { type Cleanup, href, navigate, type Route } from '../lib/router.ts';
import { gradeColours, type SeatView, seatLabel, seatShortName } from '../lib/seat-label.ts';
import { layoutStatusSource } from '../lib/seat-snapshot.ts';
import type { SeatStore } from '../lib/seat-store.ts';
import { SeatSync } from '../lib/seat-sync.ts';
import { SeatPageView } from './seats-view.ts';

/**
 * Seat map page: the live map (or list) of one performance and the customer's hold on it. The first seat
 * clicked holds it at once; the hold controller keeps the server's hold equal to the customer's seats.
 */
export function renderSeats(root: HTMLElement, route: Route): Cleanup {
  const concertId = route.params.concertId!;
  const scheduleId = route.params.scheduleId!;
  let date = route.query.get('date') ?? '';
  let disposed = false;
  let connected = false;
  let view: SeatPageView | null = null;
  let controller: HoldController | null = null;
  let unsubscribe: (() => void) | undefined;
  let checkingHold = false;
  let holdTtlSeconds = 300;
  /** What the view was first built with: a new layout (the box office changed it) is drawn with them again. */
  let mountedWith: { concert: ConcertDetail; schedule?: ScheduleSummary; timezone: string; maxSeats: number } | null =
    null;
  /** The store the view draws: another one after a resync means the layout changed. */
  let viewStore: SeatStore | null = null;
  let presale: PresaleCodeCard | null = null;

  // The page content replaces the loading line as a new element (a reused one would count as a layout shift).
  mount(
    root,
    h('p', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('loading')),
  );

  const sync = new SeatSync(layoutStatusSource(scheduleId), (changed) => onSeatsChanged(changed));
  const leave = joinRoom(scheduleId, {
    onEvent: (event) => sync.handleEvent(event),
    onJoined: (version, rejoin) => (rejoin ? void sync.resync() : sync.handleJoined(version)),
    onConnection: (up) => {
      connected = up;
      view?.setLive(up);
    },
  });

  const store = (): SeatStore => sync.store!;
  const withSection = () => store().sections.length > 1;
  const seatOf = (id: string) => store().seats[store().indexById.get(id) ?? -1];
  const shortName = (id: string) => {
    const seat = seatOf(id);
    return seat ? seatShortName(seat, withSection()) : id;
  };
  const names = (ids: readonly string[]) => ids.map(shortName).join(', ');
  const viewOf = (i: number): SeatView => {
    const id = store().seats[i]!.id;
    if (controller?.isMine(id)) return 'mine';
    // Given back but not yet confirmed: show the customer's intent rather than "held by someone".
    if (controller?.isReleasing(id)) return 'available';
    return store().statusOf(i);
  };
  const labelOf = (i: number) => seatLabel(store().seats[i]!, viewOf(i), withSection());
  const areaOf = (id: string | undefined) => store().areas.find((a) => a.id === id);

  function noticeText(notice: HoldNotice | null): string | null {
    if (!notice) return null;
    switch (notice.kind) {
      case 'lost':
        return t('seatsLost', { seats: names(notice.seatIds) });
      case 'orphan':
        return notice.added.length
          ? t('orphanAdded', { seats: names(notice.added), stranded: names(notice.strandedSeatIds) })
          : t('orphanRemoved', { seats: names(notice.removed), stranded: names(notice.strandedSeatIds) });
      case 'limit':
        return t('selectionLimit', { max: notice.max });
      case 'area':
        return t('areaOnlyLeft', { name: areaOf(notice.areaId)?.name ?? '', n: notice.available });
      case 'failed':
        return describeError(notice.error);
    }
  }

  /** Live changes: seats the customer wanted but someone else took leave the selection; the map redraws. */
  function onSeatsChanged(changed: readonly number[] | 'all'): void {
    if (!controller || !view) return;
    const s = store();
    // The box office changed the layout (the status named a new layoutVersion): the map is drawn anew from it.
    if (s !== viewStore) mountView();
    controller.dropTaken((id) => !s.isAvailable(s.indexById.get(id) ?? -1));
    checkHoldStillMine();
    view?.redraw(changed);
    showAreas();
  }

  /** The standing areas beside the map: live counts, and the customer's places. */
  function showAreas(): void {
    const c = controller!;
    view?.showAreas({
      areas: store().areas,
      chosen: c.areaWanted,
      maxPlaces: c.maxSeats - c.seats.length,
      onChoose: (areaId, quantity) => {
        const result = c.chooseArea(areaId, quantity);
        if (result === 'limit') announce(t('selectionLimit', { max: c.maxSeats }));
      },
    });
  }

  /** One of the customer's held seats shows free: the hold expired or was released elsewhere — ask once. */
  function checkHoldStillMine(): void {
    const hold = controller?.current;
    if (!hold || checkingHold) return;
    const s = store();
    const freed = hold.seatIds.some(
      (id) => controller?.stateOf(id) === 'held' && s.isAvailable(s.indexById.get(id) ?? -1),
    );
    if (!freed) return;
    checkingHold = true;
    bookingApi(concertId)
      .getHold(hold.holdId)
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.code === 'HOLD_NOT_FOUND') holdSession.expire();
      })
      .finally(() => {
        checkingHold = false;
      });
  }

  function onSeat(i: number): void {
    const c = controller!;
    const id = store().seats[i]!.id;
    // A seat being given back still shows held on the server's map: taking it again is the customer's to do.
    const result = c.toggle(id, store().isAvailable(i) || c.isReleasing(id));
    announce(result === 'limit' ? t('selectionLimit', { max: c.maxSeats }) : labelOf(i));
  }

  function onBestAvailable(count: number, grade: string, accessible: boolean): void {
    const c = controller!;
    c.bestAvailable(count, grade || undefined, accessible ? 1 : undefined);
    void c.idle().then(() => {
      const hold = c.current;
      if (disposed || !hold) return;
      view?.canvas.zoomToSeat(store().indexById.get(hold.seatIds[0] ?? '') ?? -1);
      announce(names(hold.seatIds));
    });
  }

  async function onContinue(button: HTMLButtonElement): Promise<void> {
    const c = controller!;
    button.disabled = true;
    await c.idle();
    c.keepHeld();
    if (c.current) navigate('/checkout');
    else button.disabled = false;
  }

  /** Seats drawn as the customer's (or as given back) last time: only those that change are redrawn. */
  let shown = new Set<string>();
  function showHold(): void {
    const c = controller!;
    const s = store();
    const next = new Set([...c.seats, ...(c.current?.seatIds.filter((id) => c.isReleasing(id)) ?? [])]);
    const changed = [...new Set([...next, ...shown])].flatMap((id) => s.indexById.get(id) ?? []);
    shown = next;
    const area = c.areaWanted;
    const areaInfo = areaOf(area?.id);
    const state: SummaryState = {
      seats: c.seats.flatMap((id) => {
        const seat = seatOf(id);
        return seat ? [{ seat, state: c.stateOf(id) ?? 'saving' }] : [];
      }),
      area:
        area && areaInfo
          ? {
              name: areaInfo.name,
              grade: areaInfo.grade,
              price: areaInfo.price,
              quantity: area.quantity,
              held: c.areaHeld,
            }
          : null,
      onRemoveArea: () => c.chooseArea(area?.id ?? '', 0),
      held: c.current !== null,
      busy: c.busy,
      maxSeats: c.maxSeats,
      holdMinutes: Math.round(holdTtlSeconds / 60),
      withSection: withSection(),
      notice: noticeText(c.notice),
      onRemove: (seat) => onSeat(s.indexById.get(seat.id)!),
      onContinue: (button) => void onContinue(button),
      onRelease: () => c.releaseAll(),
    };
    view?.showSummary(state);
    view?.redraw(changed);
    showAreas();
    // The server refused the presale code (or none was given): back to the code.
    const refused = c.notice?.kind === 'failed' && c.notice.error instanceof ApiError ? c.notice.error.code : null;
    if (refused === 'PRESALE_CODE_REQUIRED' || refused === 'PRESALE_CODE_INVALID') presale?.ask();
  }

  function build(concert: ConcertDetail, schedules: ScheduleSummary[], maxSeats: number): void {
    const schedule = schedules.find((x) => x.id === scheduleId);
    const timezone = safeTimeZone(concert.timezone);
    controller = holdControllerFor({
      concertId,
      scheduleId,
      maxSeats,
      describe: (hold) => ({
        concertId,
        concertTitle: concert.title,
        venue: concert.venue,
        timezone,
        dateTime: schedule?.dateTime ?? '',
        date,
        withSection: withSection(),
        areaPlaces: hold.area
          ? {
              name: areaOf(hold.area.id)?.name ?? '',
              grade: areaOf(hold.area.id)?.grade ?? '',
              price: areaOf(hold.area.id)?.price ?? 0,
              quantity: hold.area.quantity,
            }
          : null,
        seats: hold.seatIds.map((id) => {
          const seat = seatOf(id);
          return {
            id,
            seatNumber: seat?.seatNumber ?? id,
            row: seat?.row ?? '',
            section: seat?.section ?? '',
            grade: seat?.grade ?? '',
            price: seat?.price ?? 0,
          };
        }),
      }),
    });
    mountedWith = { concert, schedule, timezone, maxSeats };
    unsubscribe = controller.subscribe(showHold);
    mountView();
  }

  /** Builds the view on the store's current layout (first, and again whenever the layout changes). */
  function mountView(): void {
    const { concert, schedule, timezone, maxSeats } = mountedWith!;
    const s = store();
    view?.destroy();
    viewStore = s;
    shown = new Set();
    const body = h('div', { class: 'seat-page' });
    mount(root, body);
    // A presale window in force (SPEC §12): holds need the customer's code.
    presale = schedule?.presale ? presaleCodeCard(concertId, schedule.presale, timezone) : null;
    view = new SeatPageView(body, {
      store: s,
      colours: gradeColours(s.gradePrices),
      title: concert.title,
      when: schedule ? formatDateTime(schedule.dateTime, timezone) : null,
      venue: concert.venue,
      backHref: href(`/concerts/${concertId}`, { date: date || undefined }),
      maxSeats,
      withSection: withSection(),
      viewOf,
      labelOf,
      onSeat,
      onBestAvailable,
      areaLabelOf: (i) => areaLabel(s.areas[i]!),
      presale: presale?.element ?? null,
    });
    view.setLive(connected);
    showHold();
    exposeMapHooks(view, s, sync);
  }

  /** The performance's date comes with the route; a bare link (no ?date=) looks through the concert's dates. */
  const findSchedules = async (c: ConcertDetail): Promise<ScheduleSummary[]> => {
    const lists = await Promise.all(c.dates.slice(0, 31).map((d) => api.schedules(concertId, d)));
    const i = lists.findIndex((l) => l.schedules.some((s) => s.id === scheduleId));
    if (i < 0) return [];
    date = c.dates[i]!;
    return lists[i]!.schedules;
  };

  // Every request at once: the seat data, the limits, the concert and (with a date) its performances.
  const load = () =>
    Promise.all([
      limits(),
      sync.resync(),
      api.concert(concertId),
      date ? api.schedules(concertId, date).then((l) => l.schedules) : null,
    ])
      .then(async ([config, , concert, schedules]) => {
        schedules ??= await findSchedules(concert);
        if (disposed) return;
        holdTtlSeconds = config.holdTtlSeconds;
        build(concert, schedules, config.maxSeatsPerHold);
      })
      .catch((err: unknown) => {
        if (disposed) return;
        mount(
          root,
          h(
            'div',
            { class: 'error-box', role: 'alert' },
            h('p', null, describeError(err)),
            h('button', { type: 'button', class: 'btn', onclick: () => void load() }, t('retry')),
          ),
        );
      });
  void load();

  return () => {
    disposed = true;
    leave();
    sync.dispose();
    unsubscribe?.();
    view?.destroy();
    hideMapHooks();
  };
}

const hooks = window as unknown as { __seatmap?: unknown };

/** A read-only window into the map for browser tests and the screenshot script (a canvas has no DOM to query). */
function exposeMapHooks(view: SeatPageView, store: SeatStore, sync: SeatSync): void {
  hooks.__seatmap = {
    seatPoint: (id: string) => view.canvas.seatScreenPoint(id),
    sectionPoint: (name: string) => view.canvas.sectionScreenPoint(name),
    areaPoint: (id: string) => view.canvas.areaScreenPoint(id),
    areas: () => store.areas.map((a) => ({ id: a.id, name: a.name, available: a.available })),
    zoomToSeat: (id: string) => view.canvas.zoomToSeat(store.indexById.get(id) ?? -1),
    version: () => store.version,
    mode: () => (view.canvas.isOverview() ? 'overview' : 'seats'),
    statusCounts: () => store.statusCounts(),
    statuses: () => store.seats.map((seat, i) => [seat.id, store.statusOf(i)]),
    resyncs: () => sync.resyncCount,
  };
}

/** Gone with its page: a test must never aim at a map that is no longer on screen. */
function hideMapHooks(): void {
  delete hooks.__seatmap;
}
