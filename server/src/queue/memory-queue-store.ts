import { randomBytes } from 'node:crypto';
import { OrderedLine } from './ordered-line.ts';
import {
  type Admission,
  type AdmissionState,
  admissionBudget,
  PENDING_PREFIX,
  type QueueSettings,
  QueueStateLost,
  type QueueStore,
  type TicketView,
} from './queue-store.ts';

interface AdmissionRecord {
  member: string;
  state: AdmissionState;
  expiresAt: number;
  holdId: string;
  holdUntil: number;
}

interface ConcertQueue {
  secret: string;
  opened: boolean;
  /** Pre-queue: member → secret sort key, until the queue opens. */
  pre: Map<string, number>;
  line: OrderedLine;
  tat: number;
  admittedTotal: number;
  expiredTotal: number;
  admitted: Map<string, string>;
  admissions: Map<string, AdmissionRecord>;
  active: Set<string>;
  /** Admission times, oldest first, trimmed to the last minute. */
  log: number[];
  used: Map<string, number>;
}

/** The waiting room in this process (embedded mode): the same behaviour as the Redis store, for one node. */
export function createMemoryQueueStore(options: { now?: () => number } = {}): QueueStore {
  const clock = options.now ?? Date.now;
  const queues = new Map<string, ConcertQueue>();

  function state(concertId: string): ConcertQueue {
    const q = queues.get(concertId);
    if (!q) throw new QueueStateLost(concertId);
    return q;
  }

  /** Opens the queue once `opensAt` has passed: the pre-queue, in its random order, goes ahead of everyone. */
  function opened(q: ConcertQueue, settings: QueueSettings, now: number): boolean {
    if (q.opened) return true;
    if (now < settings.opensAt) return false;
    q.opened = true;
    const order = [...q.pre].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
    const line = new OrderedLine();
    for (const [member] of order) line.push(member);
    q.line = line;
    q.pre.clear();
    return true;
  }

  function trimLog(q: ConcertQueue, now: number): void {
    let drop = 0;
    while (drop < q.log.length && q.log[drop]! <= now - 60_000) drop++;
    if (drop > 0) q.log.splice(0, drop);
  }

  function activeCount(q: ConcertQueue, now: number): number {
    let n = 0;
    for (const token of q.active) if (q.admissions.get(token)!.expiresAt > now) n++;
    return n;
  }

  /** The admission if it is active and its time is not up. */
  function live(q: ConcertQueue, token: string): AdmissionRecord | null {
    const a = q.admissions.get(token);
    return a && a.state === 'active' && a.expiresAt > clock() ? a : null;
  }

  function viewOf(q: ConcertQueue, settings: QueueSettings, member: string, now: number): TicketView | null {
    const isOpen = opened(q, settings, now);
    if (q.pre.has(member) || q.line.has(member)) {
      trimLog(q, now);
      return {
        status: 'waiting',
        now,
        ahead: isOpen ? q.line.rank(member) : null,
        waiting: q.pre.size + q.line.size,
        active: activeCount(q, now),
        admittedLastMinute: q.log.length,
      };
    }
    const token = q.admitted.get(member);
    if (token === undefined) return null;
    const a = q.admissions.get(token)!;
    if (a.state === 'active' && a.expiresAt > now) return { status: 'admitted', now, token, expiresAt: a.expiresAt };
    return { status: 'closed', now };
  }

  return {
    kind: 'memory',

    async arm(concertId, secret) {
      if (queues.has(concertId)) return false;
      queues.set(concertId, {
        secret,
        opened: false,
        pre: new Map(),
        line: new OrderedLine(),
        tat: 0,
        admittedTotal: 0,
        expiredTotal: 0,
        admitted: new Map(),
        admissions: new Map(),
        active: new Set(),
        log: [],
        used: new Map(),
      });
      return true;
    },

    async secret(concertId) {
      return state(concertId).secret;
    },

    async join(concertId, settings, member, preQueueKey) {
      const q = state(concertId);
      const now = clock();
      if (q.pre.has(member) || q.line.has(member) || q.admitted.has(member)) throw new Error('ticket already exists');
      if (opened(q, settings, now)) q.line.push(member);
      else q.pre.set(member, preQueueKey);
      return viewOf(q, settings, member, now)!;
    },

    async view(concertId, settings, member) {
      return viewOf(state(concertId), settings, member, clock());
    },

    async leave(concertId, member) {
      const q = state(concertId);
      if (q.pre.delete(member) || q.line.remove(member)) return { was: 'waiting', holdId: null };
      const token = q.admitted.get(member);
      if (token === undefined) return null;
      const a = live(q, token);
      if (!a) return { was: 'closed', holdId: null };
      a.state = 'left';
      q.active.delete(token);
      return { was: 'admitted', holdId: realHold(a.holdId) };
    },

    async admit(concertId, settings, limit) {
      const q = state(concertId);
      const now = clock();
      const expiredHolds: string[] = [];
      for (const token of q.active) {
        const a = q.admissions.get(token)!;
        if (a.expiresAt > now) continue;
        q.active.delete(token);
        a.state = 'expired';
        q.expiredTotal++;
        const hold = realHold(a.holdId);
        if (hold) expiredHolds.push(hold);
      }
      if (!opened(q, settings, now) || settings.paused) return { admitted: 0, expiredHolds };
      trimLog(q, now);
      const n = admissionBudget({
        now,
        tat: q.tat,
        admitPerMinute: settings.admitPerMinute,
        inLastMinute: q.log.length,
        maxActive: settings.maxActive,
        active: q.active.size,
        limit,
      });
      const members = q.line.shift(n);
      for (const member of members) {
        const token = randomBytes(20).toString('hex');
        q.admitted.set(member, token);
        q.admissions.set(token, {
          member,
          state: 'active',
          expiresAt: now + settings.sessionMs,
          holdId: '',
          holdUntil: 0,
        });
        q.active.add(token);
        q.log.push(now);
      }
      if (members.length > 0) {
        q.tat = Math.max(q.tat, now) + (members.length * 60_000) / settings.admitPerMinute;
        q.admittedTotal += members.length;
      }
      return { admitted: members.length, expiredHolds };
    },

    async admission(concertId, token) {
      const a = state(concertId).admissions.get(token);
      if (!a) return null;
      const now = clock();
      const expired = a.state === 'active' && a.expiresAt <= now;
      return { ...a, state: expired ? 'expired' : a.state, now } satisfies Admission;
    },

    async setHold(concertId, token, expected, next, holdUntil) {
      const a = live(state(concertId), token);
      if (!a || a.holdId !== expected) return false;
      a.holdId = next;
      a.holdUntil = holdUntil;
      return true;
    },

    async endAdmission(concertId, token, reason) {
      const q = state(concertId);
      const a = live(q, token);
      if (!a) return;
      a.state = reason;
      q.active.delete(token);
    },

    async stats(concertId) {
      const q = state(concertId);
      const now = clock();
      trimLog(q, now);
      const active = activeCount(q, now);
      return {
        waiting: q.pre.size + q.line.size,
        active,
        admittedTotal: q.admittedTotal,
        admittedLastMinute: q.log.length,
        expiredTotal: q.expiredTotal + (q.active.size - active),
      };
    },

    async useChallenge(concertId, challengeId, expiresAt) {
      const q = state(concertId);
      const now = clock();
      for (const [id, until] of q.used) if (until <= now) q.used.delete(id);
      if (q.used.has(challengeId)) return false;
      q.used.set(challengeId, expiresAt);
      return true;
    },

    async ping() {},
    async close() {},
  };
}

function realHold(holdId: string): string | null {
  return holdId && !holdId.startsWith(PENDING_PREFIX) ? holdId : null;
}
