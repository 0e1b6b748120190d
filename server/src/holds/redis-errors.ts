import { ServiceUnavailableError } from '../errors.ts';

// Replies that mean "Redis cannot serve right now" rather than "the script or command is wrong".
const transientReply = /^(LOADING|BUSY|READONLY|MASTERDOWN|TRYAGAIN|OOM|MISCONF|NOREPLICAS|CLUSTERDOWN)\b/;

/**
 * Connection failures, timeouts and transient server states become `ServiceUnavailableError('hold-store')`
 * (answered as 503); a reply error from a script or command is a bug and stays as it is.
 */
export function toHoldStoreError(err: unknown): unknown {
  if (err instanceof ServiceUnavailableError) return err;
  if (err instanceof Error && err.name === 'ReplyError' && !transientReply.test(err.message)) return err;
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
