/**
 * Child process of scripts/bench-fanout.ts: one real server node (buildApp from the environment, as main.ts builds
 * it) on 127.0.0.1 and an OS-chosen port. Reports its port, then answers `stats` requests with its memory (after a
 * full GC when run with --expose-gc) and CPU time over IPC. Not meant to be run by hand.
 */
import type { AddressInfo } from 'node:net';
import { buildApp } from '../server/src/app.ts';
import { loadConfig } from '../server/src/config.ts';

const app = await buildApp(loadConfig(process.env), { clientDir: null });
await app.listen({ host: '127.0.0.1', port: 0 });
process.send?.({ type: 'ready', port: (app.server.address() as AddressInfo).port });

process.on('message', (message: { type: string; id?: number }) => {
  if (message.type === 'stats') {
    (globalThis as { gc?: () => void }).gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    const { user, system } = process.cpuUsage();
    process.send?.({ type: 'stats', id: message.id, rss, heapUsed, cpuMs: (user + system) / 1000 });
  }
  if (message.type === 'close') void app.close().finally(() => process.exit(0));
});
