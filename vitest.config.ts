import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/src/**/*.test.ts', 'shared/src/**/*.test.ts', 'client/src/**/*.test.ts', 'tests/**/*.test.ts'],
    // Bounds against a hang only (decision 0012): on a busy 2-core box an app start, a seeding or a client build can
    // take minutes, and none of that is a failure.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // The run's shared Redis Cluster (started on demand by the suites that use it) is stopped at the end.
    globalSetup: ['tests/support/cluster-setup.ts'],
    // Integration files each get their own database and Redis prefix, so files may run in parallel.
    maxWorkers: 2,
  },
});
