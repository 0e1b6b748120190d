import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface FanoutRun {
  ran: boolean;
  /** The live engineer's ratio lines (Socket.IO vs bare ws, cross-node vs same node). */
  lines: string[];
  note: string;
}

/**
 * Runs scripts/bench-fanout.ts (the live seat map's own benchmark, which appends its table to docs/benchmarks.md)
 * and keeps its ratio lines for the summary.
 */
export async function benchFanout(watchers: string): Promise<FanoutRun> {
  const script = fileURLToPath(new URL('../bench-fanout.ts', import.meta.url));
  if (!existsSync(script)) return { ran: false, lines: [], note: 'scripts/bench-fanout.ts not present' };
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script, '--watchers', watchers], {
      timeout: 300_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    const lines = stdout
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.includes(' / ') && l.includes('lag'));
    return { ran: true, lines, note: `npm run bench:fanout -- --watchers ${watchers}` };
  } catch (err) {
    return {
      ran: false,
      lines: [],
      note: `bench-fanout failed: ${err instanceof Error ? err.message.slice(0, 300) : err}`,
    };
  }
}
