import type { HoldStore } from './hold-store.ts';

export interface SweeperOptions {
  /** Pause between runs (default 250 ms, well inside the 1 s broadcast promise). */
  intervalMs?: number;
  /** Most holds freed per run (default 500). */
  limit?: number;
  onError?: (err: unknown) => void;
}

/**
 * Frees expired holds every `intervalMs` on this node; every node runs one and the store makes each release
 * happen once (and publishes it, and notices a rebuild of the markers by another node). Runs never overlap: the next starts `intervalMs` after the previous finished. `stop()` resolves
 * after a run in progress has finished.
 */
export function startSweeper(store: HoldStore, options: SweeperOptions = {}): () => Promise<void> {
  const { intervalMs = 250, limit = 500, onError } = options;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const runOnce = async () => {
    try {
      await store.sweepExpired(limit);
    } catch (err) {
      onError?.(err);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce().then(schedule);
    }, intervalMs);
    timer.unref();
  };

  schedule();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
