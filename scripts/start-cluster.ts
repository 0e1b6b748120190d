/**
 * Runs N server nodes on one machine against one Postgres and one Redis, or a Redis Cluster:
 *   DATABASE_URL=… REDIS_URL=… npm run start:cluster -- --nodes 3 --port 3001
 *   DATABASE_URL=… REDIS_CLUSTER_NODES=host:port,… npm run start:cluster -- --nodes 3
 *   DATABASE_URL=… npm run start:cluster -- --nodes 3 --redis-cluster   (starts a local 3-master Redis Cluster first)
 * Node i listens on port+i-1. The first node starts alone (it migrates and seeds an empty database), the
 * others once it is ready. Output lines are prefixed with the node name; Ctrl-C stops every node (and the local
 * Redis Cluster).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { type RedisClusterServer, startRedisCluster } from './redis-cluster.ts';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '2' },
    port: { type: 'string', default: '3001' },
    'redis-cluster': { type: 'boolean', default: false },
    'redis-cluster-port': { type: 'string', default: '7001' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(
    'usage: npm run start:cluster -- [--nodes 2] [--port 3001] [--redis-cluster [--redis-cluster-port 7001]]\n' +
      '  needs DATABASE_URL, and REDIS_URL or REDIS_CLUSTER_NODES — or --redis-cluster, which starts a local\n' +
      '  3-master Redis Cluster (a replica each, ports from --redis-cluster-port; redis-server and redis-cli needed)',
  );
  process.exit(0);
}
const nodeCount = Number(values.nodes);
const basePort = Number(values.port);
if (!Number.isInteger(nodeCount) || nodeCount < 1 || nodeCount > 32) fail('--nodes must be an integer from 1 to 32');
if (!Number.isInteger(basePort) || basePort < 1 || basePort + nodeCount - 1 > 65535) fail('--port is not a port');
const clusterPort = Number(values['redis-cluster-port']);
if (!Number.isInteger(clusterPort) || clusterPort < 1 || clusterPort + 10_005 > 65535) fail('--redis-cluster-port');
// Embedded mode keeps holds and events inside one process: several such nodes would each sell the same seats.
const redisGiven = Boolean(process.env.REDIS_URL || process.env.REDIS_CLUSTER_NODES);
if (!process.env.DATABASE_URL || (!redisGiven && !values['redis-cluster'])) {
  fail(
    'start:cluster needs DATABASE_URL and REDIS_URL, REDIS_CLUSTER_NODES or --redis-cluster: embedded mode (PGlite, ' +
      'in-process holds) is single-node only',
  );
}
if (values['redis-cluster'] && redisGiven)
  fail('--redis-cluster starts its own Redis Cluster: unset REDIS_URL/REDIS_CLUSTER_NODES');
let redisCluster: RedisClusterServer | null = null;
const redisEnv: Record<string, string> = {};

const colors = [36, 35, 33, 32, 34, 31];
const children: ChildProcess[] = [];
let stopping = false;

function fail(message: string): never {
  console.error(`start:cluster: ${message}`);
  process.exit(2);
}

function startNode(index: number): ChildProcess {
  const name = `node${index + 1}`;
  const port = basePort + index;
  const tag = `\x1b[${colors[index % colors.length]}m[${name}:${port}]\x1b[0m `;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    env: {
      ...process.env,
      ...redisEnv,
      PORT: String(port),
      SEED_DEMO: index === 0 ? (process.env.SEED_DEMO ?? 'true') : 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${tag}${line}\n`));
  }
  child.on('exit', (code, signal) => {
    process.stdout.write(`${tag}exited (${signal ?? code})\n`);
    if (!stopping) {
      console.error(`start:cluster: ${name} stopped unexpectedly; stopping the cluster`);
      void stopAll(1);
    }
  });
  children.push(child);
  return child;
}

async function waitReady(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (!stopping) throw new Error(`node on port ${port} not ready after ${timeoutMs} ms`);
}

async function stopAll(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
  for (const child of running) child.kill('SIGTERM');
  const killTimer = setTimeout(() => {
    for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
  }, 15_000);
  await Promise.all(running.map((c) => new Promise((resolve) => c.once('exit', resolve))));
  clearTimeout(killTimer);
  await redisCluster?.stop();
  process.exit(exitCode);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

try {
  if (values['redis-cluster']) {
    redisCluster = await startRedisCluster({ masters: 3, replicas: 1, firstPort: clusterPort, blocks: 1 });
    Object.assign(redisEnv, { REDIS_URL: '', REDIS_CLUSTER_NODES: redisCluster.nodes });
    console.log(
      `start:cluster: Redis Cluster up — masters ${redisCluster.nodes}, replicas ${redisCluster.replicas.join(', ')}`,
    );
  }
  startNode(0);
  await waitReady(basePort, 120_000);
  for (let i = 1; i < nodeCount; i++) startNode(i);
  await Promise.all(Array.from({ length: nodeCount - 1 }, (_, i) => waitReady(basePort + i + 1, 120_000)));
  if (!stopping) {
    const urls = Array.from({ length: nodeCount }, (_, i) => `http://127.0.0.1:${basePort + i}`);
    console.log(`start:cluster: ${nodeCount} node(s) ready: ${urls.join(' ')}  (Ctrl-C stops them)`);
  }
} catch (err) {
  console.error(`start:cluster: ${(err as Error).message}`);
  await stopAll(1);
}
