import { createMemoryQueueStore } from './memory-queue-store.ts';
import { queueStoreContract } from './queue-store.contract.ts';

queueStoreContract('memory', async () => {
  const clock = { now: Date.now() };
  return {
    store: createMemoryQueueStore({ now: () => clock.now }),
    clock,
    peer: async () => null,
    close: async () => {},
  };
});
