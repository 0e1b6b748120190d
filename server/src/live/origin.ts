import { type Config, corsOrigins } from '../config.ts';

/**
 * Whether a browser from `origin` may open a live connection to the server it reached as `host`: the same origin
 * always, other sites when CORS_ORIGINS lists them. Requests without an Origin header come from non-browser tools
 * (load testers, curl, server-side clients), which CORS does not concern, and are allowed.
 */
export function originChecker(config: Config): (origin: string | undefined, host: string | undefined) => boolean {
  const allowed = corsOrigins(config);
  if (allowed === '*') return () => true;
  const set = new Set(allowed.map((o) => o.toLowerCase()));
  return (origin, host) => origin === undefined || set.has(origin.toLowerCase()) || sameHost(origin, host);
}

function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
