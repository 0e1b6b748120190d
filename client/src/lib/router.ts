export interface Route {
  name: 'concerts' | 'concert' | 'seats' | 'checkout' | 'confirmation' | 'my' | 'boxoffice' | 'notFound';
  params: Record<string, string>;
  query: URLSearchParams;
}

const patterns: [Route['name'], RegExp][] = [
  ['concerts', /^\/?$/],
  ['concert', /^\/concerts\/(?<concertId>[^/]+)$/],
  ['seats', /^\/concerts\/(?<concertId>[^/]+)\/schedules\/(?<scheduleId>[^/]+)$/],
  ['checkout', /^\/checkout$/],
  ['confirmation', /^\/reservations\/(?<reservationNumber>[^/]+)$/],
  ['my', /^\/my$/],
  ['boxoffice', /^\/boxoffice$/],
];

/** Hash routes (`#/concerts/…`): they work behind any static server without a fallback rule. */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [path = '', search = ''] = raw.split('?');
  const query = new URLSearchParams(search);
  for (const [name, re] of patterns) {
    const m = re.exec(path);
    if (m) {
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(m.groups ?? {})) params[k] = decodeURIComponent(v);
      return { name, params, query };
    }
  }
  return { name: 'notFound', params: {}, query };
}

export function href(path: string, query: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, v);
  const qs = q.toString();
  return `#${path}${qs ? `?${qs}` : ''}`;
}

export function navigate(path: string, query: Record<string, string | undefined> = {}): void {
  location.hash = href(path, query);
}
