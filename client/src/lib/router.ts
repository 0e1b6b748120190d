import { withLoading } from './load.ts';

export interface Route {
  name: string;
  params: Record<string, string>;
  query: URLSearchParams;
}

/** What a page returns: undone before the next page renders (or the same page re-renders). */
export type Cleanup = (() => void) | undefined;
export type PageRenderer = (root: HTMLElement, route: Route) => Cleanup;

/** One hash route: its path pattern (named groups become params) and its page, or a loader for its own chunk. */
export type RouteEntry = { name: string; pattern: RegExp } & (
  | { render: PageRenderer }
  | { load: () => Promise<PageRenderer> }
);

/** Hash routes (`#/concerts/…`): they work behind any static server without a fallback rule. */
export function parseRoute(hash: string, routes: readonly RouteEntry[]): Route {
  const raw = hash.replace(/^#/, '');
  const [path = '', search = ''] = raw.split('?');
  const query = new URLSearchParams(search);
  for (const { name, pattern } of routes) {
    const m = pattern.exec(path);
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

export interface RouterOptions {
  routes: readonly RouteEntry[];
  notFound: PageRenderer;
  /** Draws the frame around a page (header, navigation) and returns the element the page renders into. */
  frame(route: Route): HTMLElement;
  /** Runs on every render, after the previous page's cleanup and before the next page draws. */
  beforeRender?(route: Route): void;
  /** Runs once the page has drawn (its heading is in the document). */
  afterRender?(route: Route, root: HTMLElement, routeChanged: boolean): void;
}

/**
 * Renders the page of the current hash on every hash change and whenever `render()` is called (a language
 * switch). The previous page's cleanup always runs first; a page in its own chunk is loaded on first use.
 */
export function startRouter(options: RouterOptions): { render(): void } {
  let cleanup: Cleanup;
  let lastName = '';
  let renders = 0;

  const render = () => {
    cleanup?.();
    cleanup = undefined;
    const route = parseRoute(location.hash, options.routes);
    options.beforeRender?.(route);
    const root = options.frame(route);
    const entry = options.routes.find((r) => r.name === route.name);
    const turn = ++renders;
    const show = (page: PageRenderer) => {
      if (turn !== renders) return;
      cleanup = page(root, route);
      options.afterRender?.(route, root, lastName !== '' && lastName !== route.name);
      lastName = route.name;
    };
    if (!entry) show(options.notFound);
    else if ('render' in entry) show(entry.render);
    else void withLoading(root, entry.load, show);
  };

  window.addEventListener('hashchange', render);
  render();
  return { render };
}
