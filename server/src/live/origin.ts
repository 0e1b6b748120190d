import { type Config, corsOrigins } from '../config.ts';

/**
 * Whether a browser from `origin` may open a live connection. Requests without an Origin header come from
 * non-browser tools (load testers, curl, server-side clients), which CORS does not concern, and are allowed.
 */
export function originChecker(config: Config): (origin: string | undefined) => boolean {
  const allowed = corsOrigins(config);
  if (allowed === '*') return () => true;
  const set = new Set(allowed.map((o) => o.replace(/\/$/, '').toLowerCase()));
  return (origin) => origin === undefined || set.has(origin.toLowerCase());
}
