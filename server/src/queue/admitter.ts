import type { QueueConfigs } from './queue-configs.ts';
import { QueueStateLost, type QueueStore } from './queue-store.ts';

/** Largest admission batch of one metering step (bounds the script's time on Redis). */
const MAX_BATCH = 500;

/**
 * Every node runs this loop: each `intervalMs` it takes one metering step for every enabled queue. The step is
 * atomic in the store, so nodes admitting at the same moment never pass the rate or `maxActive` together, and a
 * node dying mid-step admits either its whole batch or none of it. Holds of expired admissions are released.
 */
export function startAdmitter(deps: {
  store: QueueStore;
  configs: QueueConfigs;
  intervalMs: number;
  releaseHold: (holdId: string) => Promise<void>;
  onAdmitted?: (concertId: string, n: number) => void;
  onError: (err: unknown, concertId: string) => void;
}): () => Promise<void> {
  let running: Promise<void> | null = null;
  let stopped = false;

  async function step(): Promise<void> {
    for (const config of deps.configs.all()) {
      if (!config.enabled || stopped) continue;
      try {
        const { admitted, expiredHolds } = await deps.store.admit(config.concertId, config.settings, MAX_BATCH);
        if (admitted > 0) deps.onAdmitted?.(config.concertId, admitted);
        for (const holdId of expiredHolds) await deps.releaseHold(holdId).catch(() => {});
      } catch (err) {
        // A queue whose state is missing stays closed (the service logs how to recover); others go on.
        if (!(err instanceof QueueStateLost)) deps.onError(err, config.concertId);
      }
    }
  }

  const timer = setInterval(() => {
    if (running) return;
    running = step().finally(() => {
      running = null;
    });
  }, deps.intervalMs);
  timer.unref();

  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
