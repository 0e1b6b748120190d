/**
 * Child process of scripts/bench-fanout.ts: one real server node (buildApp from the environment, as main.ts builds
 * it) on 127.0.0.1 and an OS-chosen port. Reports its port, then answers `stats` requests with its memory (after a
 * full GC when run with --expose-gc), CPU time and event-loop delay since the previous request over IPC. Not meant to be run by hand.
 */
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildApp } from '../server/src/app.ts';
import { loadConfig } from '../server/src/config.ts';

const app = await buildApp(loadConfig(process.env), { clientDir: null });
await app.listen({ host: '127.0.0.1', port: 0 });
process.send?.({ type: 'ready', port: (app.server.address() as AddressInfo).port });
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();

process.on('message', (message: { type: string; id?: number }) => {
  if (message.type === 'stats') {
    (globalThis as { gc?: () => void }).gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    const { user, system } = process.cpuUsage();
    // Event-loop delay since the previous stats request (ms).
    const loop = { p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 };
    delay.reset();
    process.send?.({ type: 'stats', id: message.id, rss, heapUsed, cpuMs: (user + system) / 1000, loop });
  }
  if (message.type === 'close') void app.close().finally(() => process.exit(0));
});
