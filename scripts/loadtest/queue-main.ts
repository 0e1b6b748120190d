import { parseQueueCli, QUEUE_HELP } from './queue-options.ts';
import { formatQueueReport } from './queue-report.ts';
import { QueueSetupError, runQueueLoadtest } from './queue-run.ts';

/** `npm run loadtest -- --queue …`: exit 0 when every check holds, 1 when one failed, 2 on bad usage. */
export async function queueMain(argv: string[]): Promise<number> {
  let cli: ReturnType<typeof parseQueueCli>;
  try {
    cli = parseQueueCli(argv, process.env);
  } catch (err) {
    console.error(`loadtest --queue: ${err instanceof Error ? err.message : err}\n\n${QUEUE_HELP}`);
    return 2;
  }
  if (cli.help) {
    console.log(QUEUE_HELP);
    return 0;
  }
  try {
    const result = await runQueueLoadtest(cli.options, {
      log: cli.progress ? (line) => console.error(line) : undefined,
    });
    console.log(formatQueueReport(result));
    if (cli.options.json) console.log(`JSON written to ${cli.options.json}`);
    return result.ok ? 0 : 1;
  } catch (err) {
    if (err instanceof QueueSetupError) {
      console.error(`loadtest --queue: ${err.message}`);
      return 2;
    }
    throw err;
  }
}
