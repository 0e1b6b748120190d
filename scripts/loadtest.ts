/**
 * Buyer simulator (SPEC §8): `npm run loadtest -- --url http://127.0.0.1:3000 --buyers 500 --watchers 50`;
 * waiting-room simulator (SPEC §10): `npm run loadtest -- --queue …`.
 * See `npm run loadtest -- --help` and docs/loadtest.md.
 */
import cliProgress from 'cli-progress';
import { HELP, parseCli } from './loadtest/options.ts';
import { formatReport } from './loadtest/report.ts';
import { LoadtestSetupError, runLoadtest } from './loadtest/run.ts';

async function main(): Promise<number> {
  if (process.argv.includes('--queue')) {
    const { queueMain } = await import('./loadtest/queue-main.ts');
    return queueMain(process.argv.slice(2));
  }
  let cli: ReturnType<typeof parseCli>;
  try {
    cli = parseCli(process.argv.slice(2), process.env);
  } catch (err) {
    console.error(`loadtest: ${err instanceof Error ? err.message : err}\n\n${HELP}`);
    return 2;
  }
  if (cli.help) {
    console.log(HELP);
    return 0;
  }
  const { options } = cli;
  const bar =
    cli.progress && process.stderr.isTTY
      ? new cliProgress.SingleBar(
          {
            format:
              '{bar} {percentage}% | {value}/{total} | holds {holds} | booked {booked} | 409s {conflicts} | {elapsed}s',
            hideCursor: true,
            stream: process.stderr,
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
  let started = false;
  try {
    const result = await runLoadtest(options, {
      log: (line) => console.error(line),
      onProgress: (p) => {
        if (!bar) return;
        const total = p.total ?? Math.round(p.durationSeconds ?? 1);
        const value = p.total === null ? Math.min(total, Math.round(p.elapsedSeconds)) : p.attempts;
        const payload = {
          holds: p.holds,
          booked: p.booked,
          conflicts: p.conflicts,
          elapsed: p.elapsedSeconds.toFixed(1),
        };
        if (!started) {
          bar.start(total, value, payload);
          started = true;
        } else bar.update(value, payload);
      },
    });
    bar?.stop();
    console.log(formatReport(result));
    if (options.json) console.log(`JSON written to ${options.json}`);
    return result.ok ? 0 : 1;
  } catch (err) {
    bar?.stop();
    if (err instanceof LoadtestSetupError) {
      console.error(`loadtest: ${err.message}`);
      return 2;
    }
    throw err;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(2);
  },
);
