import type { Hold } from '@seatmap/shared';
import { announce, toast } from '../components/announcer.ts';
import { bestAvailableForm } from '../components/best-available.ts';
import { SeatCanvas } from '../components/seat-canvas.ts';
import { seatLegend } from '../components/seat-legend.ts';
import { SeatList } from '../components/seat-list.ts';
import { renderMobileBar, renderSelectionSummary, type SummaryState } from '../components/selection-summary.ts';
import { api, bookingApi, type ConcertDetail, type ScheduleSummary } from '../lib/api.ts';
import { h, mount } from '../lib/dom.ts';
import { formatDateTime, safeTimeZone } from '../lib/format.ts';
import { holdSession, newIdempotencyKey, setHoldSession } from '../lib/hold-session.ts';
import { ApiError } from '../lib/http.ts';
import { t } from '../lib/i18n.ts';
import { joinRoom } from '../lib/live.ts';
import { describeError } from '../lib/load.ts';
import { href, navigate, type Route } from '../lib/router.ts';
import { gradeColours, type SeatView, seatLabel, seatShortName } from '../lib/seat-label.ts';
import { SeatSync } from '../lib/seat-sync.ts';
import type { Cleanup } from '../main.ts';

/** The server's default MAX_SEATS_PER_HOLD; the server has the last word (400 beyond its limit). */
const MAX_SEATS = 4;

// Survive a re-render (language switch) of the same performance.
const selections = new Map<string, Set<string>>();
let viewMode: 'map' | 'list' = 'map';

/** Seat map page: live map or list, legend, best available, selection summary, hold and countdown. */
export function renderSeats(root: HTMLElement, route: Route): Cleanup {
  const concertId = route.params.concertId!;
  const scheduleId = route.params.scheduleId!;
  let date = route.query.get('date') ?? '';
  const selectedIds = selections.get(scheduleId) ?? new Set<string>();
  selections.set(scheduleId, selectedIds);

  let canvas: SeatCanvas | null = null;
  let list: SeatList | null = null;
  let concert: ConcertDetail | null = null;
  let schedule: ScheduleSummary | undefined;
  let queue: Promise<void> = Promise.resolve();
  let disposed = false;
  const booking = bookingApi(concertId);

  const liveBadge = h('span', { class: 'live-badge', role: 'status' }, t('liveReconnecting'));
  // The loading line lives inside `body`, so the page content replaces it (and screen readers stop announcing it).
  const body = h(
    'div',
    { class: 'seat-page' },
    h('p', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('loading')),
  );
  mount(root, body);

  const sync = new SeatSync(
    () => api.seats(scheduleId),
    (changed) => onSeatsChanged(changed),
  );
  const leave = joinRoom(scheduleId, {
    onEvent: (event) => sync.handleEvent(event),
    onJoined: (version, rejoin) => (rejoin ? void sync.resync() : sync.handleJoined(version)),
    onConnection: (connected) => {
      liveBadge.textContent = connected ? t('live') : t('liveReconnecting');
      liveBadge.classList.toggle('offline', !connected);
    },
  });

  const myHold = (): Hold | null => {
    const s = holdSession();
    return s && s.hold.scheduleId === scheduleId ? s.hold : null;
  };
  const isMine = (i: number): boolean => {
    const seat = sync.store?.seats[i];
    if (!seat) return false;
    return selectedIds.has(seat.id) || (myHold()?.seatIds.includes(seat.id) ?? false);
  };
  const viewOf = (i: number): SeatView => (isMine(i) ? 'mine' : (sync.store?.statusOf(i) ?? 'available'));
  const withSection = () => (sync.store?.sections.length ?? 0) > 1;
  const labelOf = (i: number) => seatLabel(sync.store!.seats[i]!, viewOf(i), withSection());
  const shortName = (id: string) => {
    const i = sync.store?.indexById.get(id);
    const seat = i === undefined ? undefined : sync.store?.seats[i];
    return seat ? seatShortName(seat, withSection()) : id;
  };

  const summary = h('div', { class: 'card selection-card', 'aria-live': 'polite' });
  const mobileBar = h('div', { class: 'mobile-bar' });
  const redraw = (changed: readonly number[] | 'all') => {
    canvas?.invalidate();
    canvas?.refreshFocusLabel();
    list?.update(changed);
  };

  function onSeatsChanged(changed: readonly number[] | 'all'): void {
    const store = sync.store;
    if (!store || !canvas) return;
    // A seat in the local selection taken by someone else leaves the selection at once.
    const taken: string[] = [];
    for (const id of selectedIds) {
      const i = store.indexById.get(id);
      if (i !== undefined && store.status[i] !== 0) {
        selectedIds.delete(id);
        taken.push(shortName(id));
      }
    }
    if (taken.length) {
      toast(t('seatTakenNow', { seat: taken.join(', ') }));
      renderSummary();
    }
    // One of my held seats turned free: the hold expired or was released elsewhere.
    const hold = myHold();
    if (hold?.seatIds.some((id) => store.statusOf(store.indexById.get(id) ?? -1) === 'available')) {
      booking.getHold(hold.holdId).catch((err: unknown) => {
        if (err instanceof ApiError && err.code === 'HOLD_NOT_FOUND') window.dispatchEvent(new Event('hold-lost'));
      });
    }
    redraw(changed);
  }

  const saveHold = (hold: Hold) => {
    const store = sync.store!;
    const prev = holdSession();
    setHoldSession({
      hold,
      concertId,
      concertTitle: concert?.title ?? '',
      venue: concert?.venue ?? '',
      timezone: safeTimeZone(concert?.timezone),
      dateTime: schedule?.dateTime ?? '',
      date,
      withSection: withSection(),
      idempotencyKey: prev?.hold.holdId === hold.holdId ? prev.idempotencyKey : newIdempotencyKey(),
      seats: hold.seatIds.map((id) => {
        const seat = store.seats[store.indexById.get(id) ?? -1];
        return {
          id,
          seatNumber: seat?.seatNumber ?? id,
          row: seat?.row ?? '',
          section: seat?.section ?? '',
          grade: seat?.grade ?? '',
          price: seat?.price ?? 0,
        };
      }),
    });
  };

  const reportLost = (err: ApiError) => {
    const lost = err.seatIds('unavailableSeatIds');
    for (const id of lost) selectedIds.delete(id);
    toast(lost.length ? t('seatsLost', { seats: lost.map(shortName).join(', ') }) : describeError(err), 'error');
  };

  const enqueue = (task: () => Promise<void>) => {
    queue = queue.then(task).catch((err: unknown) => {
      if (err instanceof ApiError && err.code === 'HOLD_NOT_FOUND') window.dispatchEvent(new Event('hold-lost'));
      else if (err instanceof ApiError && err.code === 'SEAT_UNAVAILABLE') reportLost(err);
      else toast(describeError(err), 'error');
    });
    void queue.then(() => {
      if (!disposed) {
        renderSummary();
        redraw('all');
      }
    });
  };

  /** A click or Enter on a seat: local selection before the hold, PATCH of the hold after it. */
  function toggle(i: number): void {
    const store = sync.store!;
    const seat = store.seats[i]!;
    const hold = myHold();
    if (hold) {
      const has = hold.seatIds.includes(seat.id);
      if (!has && store.status[i] !== 0) {
        announce(labelOf(i));
        return;
      }
      if (!has && hold.seatIds.length >= MAX_SEATS) {
        toast(t('selectionLimit', { max: MAX_SEATS }));
        return;
      }
      enqueue(async () => {
        // Re-read the hold: an earlier queued click may have changed it.
        const cur = myHold();
        if (!cur) return;
        const mine = cur.seatIds.includes(seat.id);
        if (mine && cur.seatIds.length === 1) {
          await booking.releaseHold(cur.holdId);
          setHoldSession(null);
        } else {
          saveHold(await booking.patchHold(cur.holdId, mine ? { remove: [seat.id] } : { add: [seat.id] }));
        }
        announce(labelOf(i));
      });
      return;
    }
    if (selectedIds.has(seat.id)) selectedIds.delete(seat.id);
    else if (store.status[i] !== 0) {
      // Taken by someone else: say so (the name ends with its state) instead of doing nothing silently.
      announce(labelOf(i));
      return;
    } else if (selectedIds.size >= MAX_SEATS) {
      toast(t('selectionLimit', { max: MAX_SEATS }));
      return;
    } else selectedIds.add(seat.id);
    announce(labelOf(i));
    renderSummary();
    redraw([i]);
  }

  async function releaseOtherHold(): Promise<void> {
    const s = holdSession();
    if (!s) return;
    setHoldSession(null);
    await booking.releaseHold(s.hold.holdId).catch(() => {});
  }

  function holdSelection(button: HTMLButtonElement): void {
    if (!selectedIds.size) return;
    button.disabled = true;
    enqueue(async () => {
      try {
        await releaseOtherHold();
        const hold = await booking.createHold(scheduleId, { seatIds: [...selectedIds] });
        selectedIds.clear();
        saveHold(hold);
        navigate('/checkout');
      } finally {
        button.disabled = false;
      }
    });
  }

  function bestAvailable(count: number, grade: string): void {
    enqueue(async () => {
      await releaseOtherHold();
      const hold = await booking.createHold(scheduleId, { bestAvailable: grade ? { count, grade } : { count } });
      selectedIds.clear();
      saveHold(hold);
      const first = sync.store?.indexById.get(hold.seatIds[0] ?? '');
      if (first !== undefined) canvas?.zoomToSeat(first);
      announce(hold.seatIds.map(shortName).join(', '));
    });
  }

  function renderSummary(): void {
    const store = sync.store;
    if (!store) return;
    const hold = myHold();
    const ids = hold ? hold.seatIds : [...selectedIds];
    const state: SummaryState = {
      seats: ids.map((id) => store.seats[store.indexById.get(id) ?? -1]).filter((s) => s !== undefined),
      held: hold !== null,
      maxSeats: MAX_SEATS,
      withSection: withSection(),
      onRemove: (seat) => toggle(store.indexById.get(seat.id)!),
      onHold: holdSelection,
      onRelease: () => enqueue(releaseOtherHold),
    };
    renderSelectionSummary(summary, state);
    renderMobileBar(mobileBar, state);
  }

  function build(schedules: ScheduleSummary[]): void {
    const store = sync.store!;
    schedule = schedules.find((s) => s.id === scheduleId);
    const colours = gradeColours(store.seats);
    const tz = safeTimeZone(concert?.timezone);
    canvas = new SeatCanvas({ store, colours, viewOf, labelOf, onActivate: toggle });
    canvas.element.setAttribute('role', 'region');
    canvas.element.setAttribute('aria-label', t('mapKeyboardEntry'));
    const mapHost = h('div', { class: 'map-host' });
    const showMode = () => {
      mapBtn.setAttribute('aria-pressed', String(viewMode === 'map'));
      listBtn.setAttribute('aria-pressed', String(viewMode === 'list'));
      if (viewMode === 'map')
        mount(
          mapHost,
          canvas!.element,
          h(
            'p',
            { class: 'hint' },
            store.seats.length > 5000 ? `${t('mapOverviewHelp')} ${t('mapHelp')}` : t('mapHelp'),
          ),
        );
      else {
        list ??= new SeatList({ store, viewOf, onActivate: toggle, withSection: withSection() });
        mount(mapHost, list.element);
      }
    };
    const setMode = (mode: 'map' | 'list') => {
      viewMode = mode;
      showMode();
    };
    const mapBtn = h('button', { type: 'button', class: 'seg-btn', onclick: () => setMode('map') }, t('mapView'));
    const listBtn = h('button', { type: 'button', class: 'seg-btn', onclick: () => setMode('list') }, t('listView'));

    mount(
      body,
      h(
        'div',
        { class: 'seat-header' },
        h(
          'a',
          { class: 'back-link', href: href(`/concerts/${concertId}`, { date: date || undefined }) },
          `‹ ${t('back')}`,
        ),
        h(
          'div',
          null,
          h('h1', { class: 'page-title' }, concert?.title ?? ''),
          h(
            'p',
            { class: 'seat-sub' },
            [schedule ? formatDateTime(schedule.dateTime, tz) : null, concert?.venue].filter(Boolean).join(' · '),
          ),
        ),
      ),
      h(
        'div',
        { class: 'seat-layout' },
        h(
          'section',
          { class: 'map-col', 'aria-label': t('mapView') },
          h(
            'div',
            { class: 'map-toolbar' },
            h('div', { class: 'segmented', role: 'group' }, mapBtn, listBtn),
            liveBadge,
          ),
          seatLegend(store, colours),
          mapHost,
        ),
        h(
          'aside',
          { class: 'seat-aside' },
          summary,
          bestAvailableForm([...new Set(store.seats.map((s) => s.grade))], MAX_SEATS, bestAvailable),
        ),
      ),
      mobileBar,
    );
    showMode();
    renderSummary();
    // A read-only window into the map for browser tests and the screenshot script (canvas has no DOM to query).
    (window as unknown as { __seatmap?: unknown }).__seatmap = {
      seatPoint: (id: string) => canvas?.seatScreenPoint(id) ?? null,
      sectionPoint: (name: string) => canvas?.sectionScreenPoint(name) ?? null,
      zoomToSeat: (id: string) => canvas?.zoomToSeat(store.indexById.get(id) ?? -1),
      version: () => store.version,
      mode: () => (canvas?.isOverview() ? 'overview' : 'seats'),
      statusCounts: () => {
        const counts = [0, 0, 0];
        for (const code of store.status) counts[code] = (counts[code] ?? 0) + 1;
        return { available: counts[0], held: counts[1], reserved: counts[2] };
      },
      resyncs: () => sync.resyncCount,
    };
  }

  /** The performance's date comes with the route; a bare link (no ?date=) looks through the concert's dates. */
  const findSchedules = async (c: ConcertDetail): Promise<ScheduleSummary[]> => {
    if (date) return (await api.schedules(concertId, date)).schedules;
    const lists = await Promise.all(c.dates.slice(0, 31).map((d) => api.schedules(concertId, d)));
    const i = lists.findIndex((l) => l.schedules.some((s) => s.id === scheduleId));
    if (i < 0) return [];
    date = c.dates[i]!;
    return lists[i]!.schedules;
  };

  const load = () =>
    Promise.all([sync.resync(), api.concert(concertId).then(async (c) => [c, await findSchedules(c)] as const)])
      .then(([, [c, schedules]]) => {
        if (disposed) return;
        concert = c;
        build(schedules);
      })
      .catch((err: unknown) => {
        if (disposed) return;
        mount(
          body,
          h(
            'div',
            { class: 'error-box', role: 'alert' },
            h('p', null, describeError(err)),
            h('button', { type: 'button', class: 'btn', onclick: () => void load() }, t('retry')),
          ),
        );
      });
  void load();

  const onExpired = () => {
    renderSummary();
    redraw('all');
  };
  window.addEventListener('hold-expired', onExpired);
  return () => {
    disposed = true;
    leave();
    sync.dispose();
    canvas?.destroy();
    window.removeEventListener('hold-expired', onExpired);
  };
}
