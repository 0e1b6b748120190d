/**
 * Runs `work`, retrying up to `attempts` times in all while `retryIf` accepts the error, waiting `delayMs(attempt)`
 * between tries.
 */
export async function retry<T>(
  work: () => Promise<T>,
  options: { attempts: number; delayMs: (attempt: number) => number; retryIf?: (err: unknown) => boolean },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= options.attempts || (options.retryIf && !options.retryIf(err))) throw err;
      await new Promise((resolve) => setTimeout(resolve, options.delayMs(attempt)));
    }
  }
}

/** A store update that follows a database commit: retried briefly, since the commit cannot be taken back. */
export function afterCommit<T>(update: () => Promise<T>): Promise<T> {
  return retry(update, { attempts: 3, delayMs: (attempt) => 100 * attempt });
}
