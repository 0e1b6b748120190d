// Node socket errors and pg/pg-pool messages that mean "the server cannot be reached", as opposed to a query
// that reached Postgres and failed on its own (constraint, syntax, serialization...).
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

// SQLSTATE: admin/crash/cannot-connect-now shutdowns, too many connections, and statement_timeout (a server
// that cannot answer in time is treated as unavailable so callers get a fast 503, not a 500).
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014']);

const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /connection timeout/i,
  /query read timeout/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
  /client was closed and is not queryable/i,
  /pglite is closed/i,
];

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Whether `err` means the database cannot be reached (→ 503), rather than an ordinary query error. */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (err === null || typeof err !== 'object' || depth > 5) return false;
  const code = codeOf(err);
  if (code !== undefined) {
    if (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08')) return true;
  }
  const message = (err as { message?: unknown }).message;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((re) => re.test(message))) return true;
  // Node reports a refused dual-stack connect as an AggregateError; wrappers keep the original in `cause`.
  const nested = [
    ...((err as { errors?: unknown[] }).errors ?? []),
    ...('cause' in err ? [(err as { cause: unknown }).cause] : []),
  ];
  return nested.some((e) => isDatabaseUnavailable(e, depth + 1));
}

/** The SQLSTATE of a Postgres error, e.g. '23505' for a unique violation. */
export function pgErrorCode(err: unknown): string | undefined {
  const code = codeOf(err);
  return code !== undefined && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** A unique violation, optionally of one named constraint or index. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  if (pgErrorCode(err) !== '23505') return false;
  return constraint === undefined || (err as { constraint?: string }).constraint === constraint;
}
