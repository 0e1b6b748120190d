import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The statement family a database query belongs to, by the work that runs it: the request's route (set for the
 * whole request by `registerMetrics`) or a background job that says what it is with `withQueryKind`.
 */
export type QueryKind =
  | 'browse'
  | 'hold'
  | 'booking'
  | 'lookup'
  | 'cancel'
  | 'queue'
  | 'admin'
  | 'health'
  | 'live'
  | 'retention'
  | 'background';

const current = new AsyncLocalStorage<QueryKind>();

/** Runs `work` (and everything it awaits) with its queries counted under `kind`. */
export function withQueryKind<T>(kind: QueryKind, work: () => T): T {
  return current.run(kind, work);
}

/** The family of the queries running now; `background` outside any request or labelled job. */
export function currentQueryKind(): QueryKind {
  return current.getStore() ?? 'background';
}

/** The statement family of a request, from its route pattern and method. */
export function queryKindOf(method: string, route: string | undefined): QueryKind {
  if (!route) return 'background';
  if (route.startsWith('/api/admin/')) return 'admin';
  if (route.includes('/queue')) return 'queue';
  if (route.startsWith('/health/')) return 'health';
  if (route === '/api/reservations') return 'booking';
  if (route === '/api/reservations/lookup') return 'lookup';
  if (route.startsWith('/api/reservations/')) return 'cancel';
  if (route.endsWith('/holds') || route.startsWith('/api/holds/')) return 'hold';
  if (route.endsWith('/live')) return 'live';
  return method === 'GET' ? 'browse' : 'background';
}
