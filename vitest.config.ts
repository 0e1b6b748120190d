import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/src/**/*.test.ts', 'shared/src/**/*.test.ts', 'client/src/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Integration files each get their own database and Redis prefix, so files may run in parallel.
    maxWorkers: 2,
  },
});
