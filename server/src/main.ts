import closeWithGrace from 'close-with-grace';
import { withAdminToken } from './admin/auth.ts';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';

/** Starts one server process: config, build, listen, and a graceful close on SIGTERM/SIGINT. */
async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }

  const admin = withAdminToken(config);
  const app = await buildApp(admin.config);
  if (admin.generated) console.log(`box office: generated ADMIN_TOKEN for this run: ${admin.generated}`);
  const { mode } = app.context;
  app.log.info(
    mode.holds === 'memory'
      ? `embedded mode: PGlite at ${mode.location}, in-process holds and events (single node)`
      : `cluster mode: Postgres at ${mode.location}, Redis holds and events (scale out with more nodes)`,
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
