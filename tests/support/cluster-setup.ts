import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

/** Pids and dirs of a run's shared cluster, written by the file that started it, read by the run's teardown. */
export interface SharedState {
  nodes: string;
  pids: number[];
  dirs: string[];
}

/**
 * Vitest global setup: a directory for this run's shared Redis Cluster. Nothing starts here — the first test file
 * that needs the cluster starts it (redis-cluster.ts `sharedRedisCluster`), so a run without such a file starts
 * none — and the teardown stops whatever was started.
 */
export default function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'seatmap-cluster-run-'));
  project.provide('redisClusterRunDir', dir);
  return () => {
    const stateFile = join(dir, 'cluster.json');
    if (existsSync(stateFile)) {
      const state = JSON.parse(readFileSync(stateFile, 'utf8')) as SharedState;
      for (const pid of state.pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      for (const d of state.dirs) rmSync(d, { recursive: true, force: true });
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
