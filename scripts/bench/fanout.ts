import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface FanoutRun {
  ran: boolean;
  /** The fan-out bench's measures (delivery, lag against the bare `ws` baseline, snapshot sizes, CPU per feed). */
  lines: string[];
  note: string;
}

/**
 * Runs scripts/bench-fanout.ts (the live seat map's own benchmark) small — `watchers` plain-feed and as many
 * Socket.IO watchers, 10 s of changes, nothing written — and keeps its measure rows for the core summary.
 */
export async function benchFanout(watchers: string): Promise<FanoutRun> {
  const script = fileURLToPath(new URL('../bench-fanout.ts', import.meta.url));
  if (!existsSync(script)) return { ran: false, lines: [], note: 'scripts/bench-fanout.ts not present' };
  const args = ['--feed', watchers, '--socketio', watchers, '--seconds', '10', '--no-write'];
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script, ...args], {
      timeout: 300_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    const lines = stdout
      .split('\n')
      .filter((l) => /^\| (delivered|lag p99|CPU per new feed|feed snapshot|status)/.test(l))
      .map((l) => l.replace(/^\| /, '').replace(/ \|$/, '').split(' | ').join(' — '));
    return { ran: true, lines, note: `npm run bench:fanout -- ${args.join(' ')}` };
  } catch (err) {
    return {
      ran: false,
      lines: [],
      note: `bench-fanout failed: ${err instanceof Error ? err.message.slice(0, 300) : err}`,
    };
  }
}
