import closeWithGrace from 'close-with-grace';
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

  const app = await buildApp(config);
  const { mode } = app.context;
  app.log.info(
    mode.holds === 'memory'
      ? `embedded mode: PGlite at ${mode.location}, in-process holds and events (single node)`
      : `cluster mode: Postgres at ${mode.location}, Redis holds and events (scale out with more nodes)`,
  );

  // In-flight requests finish (new ones get 503) before the stores close; a stuck close is cut short.
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an unexpected error');
    else app.log.info({ signal }, 'closing');
    await app.close();
  });

  await app.listen({ port: config.PORT, host: config.HOST });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
