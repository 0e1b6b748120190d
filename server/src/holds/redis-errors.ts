import { ServiceUnavailableError } from '../errors.ts';

// Replies that mean "Redis cannot serve right now" rather than "the script or command is wrong". MOVED/ASK reach a
// caller only while a cluster's slots are moving (a lost master, a failover): ioredis follows them itself otherwise,
// but not for every command of an auto-pipelined batch that spans slots.
const transientReply = /^(LOADING|BUSY|READONLY|MASTERDOWN|TRYAGAIN|OOM|MISCONF|NOREPLICAS|CLUSTERDOWN|MOVED|ASK)\b/;
// What ioredis throws when the connection is gone or a command timed out (fail-fast client: no offline queue), and
// what its cluster client throws when a shard or the whole cluster cannot be reached.
const connectionFailure =
  /Connection is closed|Stream isn't writeable|enableOfflineQueue|Command timed out|ECONNREFUSED|ECONNRESET|Too many Cluster redirections|Failed to refresh slots cache|None of startup nodes is available/;

/** A reply error from a script or command: a bug, never an outage. */
function isCommandError(err: unknown): boolean {
  return err instanceof Error && err.name === 'ReplyError' && !transientReply.test(err.message);
}

/**
 * The one Redis-down detector: whether a raw ioredis error means Redis cannot serve right now (connection gone,
 * command timed out, a transient server state). The error handler answers these 503 wherever they come from.
 */
export function isRedisUnavailable(err: unknown): boolean {
  if (!(err instanceof Error) || isCommandError(err)) return false;
  return (
    err.name === 'ReplyError' ||
    err.name === 'MaxRetriesPerRequestError' ||
    err.name === 'ClusterAllFailedError' ||
    connectionFailure.test(err.message)
  );
}

/**
 * Inside the stores every failure of a Redis call but a command error becomes `ServiceUnavailableError`
 * ('hold-store', answered as 503): whatever else a call throws, Redis did not serve it.
 */
export function toHoldStoreError(err: unknown): unknown {
  if (err instanceof ServiceUnavailableError || isCommandError(err)) return err;
  return new ServiceUnavailableError('hold-store', err);
}

/** Runs a store call, translating Redis outages into `ServiceUnavailableError`. */
export async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toHoldStoreError(err);
  }
}
