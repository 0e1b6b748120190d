import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { isCI } from './services.ts';

export const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedisServer && isCI) throw new Error('CI=true but redis-server is not installed');

/** A private Redis child on its own port. */
export interface RedisServer {
  port: number;
  child: ChildProcess;
}

/**
 * Redis cannot listen on port 0, so a private Redis takes a random port below the OS's ephemeral range (where no
 * outgoing connection lands) and, if another listener has it, exits: then the next port is tried. The answer is
 * checked to come from this child (its process id), never from whoever else holds the port. `port` restarts a
 * killed one on its old port.
 */
export async function startRedis(port?: number): Promise<RedisServer> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const candidate = port ?? 20_000 + Math.floor(Math.random() * 12_000);
    const child = await spawnRedis(candidate);
    if (child) return { port: candidate, child };
    if (port !== undefined) await sleep(100); // our own old port: wait for it to be released, then again
  }
  throw new Error(`redis-server did not start${port === undefined ? '' : ` on port ${port}`}`);
}

async function spawnRedis(port: number): Promise<ChildProcess | null> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const exited = once(child, 'exit').then(() => null);
  for (let i = 0; i < 200 && child.exitCode === null && child.signalCode === null; i++) {
    const info = await promisify(execFile)('redis-cli', ['-p', String(port), 'info', 'server']).catch(() => null);
    const pid = /process_id:(\d+)/.exec(info?.stdout ?? '')?.[1];
    if (pid !== undefined && Number(pid) === child.pid) return child;
    await Promise.race([sleep(50), exited]);
  }
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited;
  }
  return null;
}

export async function stopRedis(redis: RedisServer): Promise<void> {
  const { child } = redis;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGKILL');
  await once(child, 'exit');
}

export interface NodeProcess {
  url: string;
  child: ChildProcess;
  /** Everything the node wrote so far (stdout and stderr). */
  output(): string;
}

/**
 * One server process (`server/src/main.ts`) on a port the OS picks (PORT=0); resolves with its address once it
 * listens, read from Fastify's "Server listening at" line (so LOG_LEVEL is at least info), or rejects with its
 * output if it exits first.
 */
export async function startNode(root: string, env: Record<string, string>): Promise<NodeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', ...env, PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      const found = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (found) resolve(found[1]!);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`node exited (${code}) before listening:\n${output}`)));
  });
  return { url, child, output: () => output };
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
