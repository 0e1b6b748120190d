import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import closeWithGrace from 'close-with-grace';
import { withAdminToken } from './admin/auth.ts';
import { buildApp } from './app.ts';
import { ignoreGroupInterrupt, runPrimary, workersRefusal } from './cluster.ts';
import { ConfigError, loadConfig } from './config.ts';
import { clusterScrape } from './metrics/cluster-metrics.ts';

/**
 * Starts one server process: config, build, listen, and a graceful close on SIGTERM/SIGINT. With `--workers N`
 * (or WORKERS=N) this process becomes a cluster primary and N workers run the server on one port.
 */
async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    const { values } = parseArgs({ options: { workers: { type: 'string' } } });
    config = loadConfig(values.workers === undefined ? process.env : { ...process.env, WORKERS: values.workers });
  } catch (err) {
    if (err instanceof ConfigError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error((err as Error).message);
      process.exit(1);
    }
    throw err;
  }
  const refusal = workersRefusal(config);
  if (refusal) {
    console.error(refusal);
    process.exit(1);
  }
  if (config.WORKERS > 1 && cluster.isPrimary) {
    runPrimary(config);
    return;
  }
  ignoreGroupInterrupt();

  const admin = withAdminToken(config);
  const app = await buildApp(admin.config);
  // A scrape reaches one worker of the shared port: it answers for all of them.
  if (cluster.isWorker) app.context.metrics.setScrape(clusterScrape(app.context.metrics.registry));
  if (admin.generated) console.log(`box office: generated ADMIN_TOKEN for this run: ${admin.generated}`);
  const { mode } = app.context;
  app.log.info(
    mode.holds === 'memory'
      ? `embedded mode: PGlite at ${mode.location}, in-process holds and events (single node)`
      : `cluster mode: Postgres at ${mode.location}, ${mode.redis === 'cluster' ? `Redis Cluster (${admin.config.REDIS_CLUSTER_NODES})` : 'one Redis'} for holds and events (scale out with more nodes)`,
  );

  // Drain: report not-ready and keep serving for SHUTDOWN_DELAY_MS, then stop accepting, let in-flight requests
  // finish (new ones get 503) and close the stores. A stuck close is cut short.
  closeWithGrace({ delay: config.SHUTDOWN_DELAY_MS + 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an unexpected error');
    else app.log.info({ signal, delayMs: config.SHUTDOWN_DELAY_MS }, 'draining before close');
    app.context.draining = true;
    if (!err) await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DELAY_MS));
    await app.close();
  });

  await app.listen({ port: config.PORT, host: config.HOST });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
