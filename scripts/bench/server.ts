/**
 * Child process of `npm run bench`: the real app (buildApp, config from the environment) plus a hello-world
 * route in the same process, the baseline the seat-map GET is compared with. Not meant to be run by hand.
 */
import { buildApp } from '../../server/src/app.ts';
import { loadConfig } from '../../server/src/config.ts';

const config = loadConfig();
const app = await buildApp(config, { clientDir: null });
app.get('/bench/hello', { schema: { hide: true } }, async () => ({ hello: 'world' }));
await app.listen({ port: config.PORT, host: '127.0.0.1' });
process.send?.({ ready: true });
const stop = () => {
  void app.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('disconnect', stop);
