import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { isCI } from './services.ts';

export const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedisServer && isCI) throw new Error('CI=true but redis-server is not installed');

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** A private, non-persistent Redis a test may kill (never the shared one). */
export async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 100; i++) {
    const pong = await promisify(execFile)('redis-cli', ['-p', String(port), 'ping']).catch(() => null);
    if (pong?.stdout.trim() === 'PONG') return child;
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server on port ${port} did not start`);
}

export async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGKILL');
  await once(child, 'exit');
}

/**
 * A TCP proxy in front of a shared service, so a test can cut the service off (connections reset, new ones
 * refused) and bring it back without touching the service itself.
 */
export async function startTcpProxy(target: { host: string; port: number }, port = 0) {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let listenPort = port;

  async function up() {
    server = createServer((client) => {
      const upstream = createConnection(target);
      sockets.add(client).add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
    server.listen(listenPort, '127.0.0.1');
    await once(server, 'listening');
    listenPort = (server.address() as { port: number }).port;
  }

  async function down() {
    if (!server) return;
    const closing = once(server, 'close');
    server.close();
    for (const s of sockets) s.destroy();
    sockets.clear();
    server = null;
    await closing;
  }

  await up();
  return { port: listenPort, up, down };
}
