import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A local Redis Cluster (SPEC §14) for the tests and `npm run start:cluster -- --redis-cluster`: `redis-server
 * --cluster-enabled yes`, each node on its own port with its own temp dir, joined by `redis-cli --cluster create`.
 * Ports come in blocks of ten from `firstPort` (7101 for the tests: 7101-7106 first); a block with a port in use
 * (another run's cluster) is skipped. Without persistence a restarted node comes back empty, as a lost shard would.
 */
export interface RedisClusterServer {
  /** `host:port,…` of the masters, for REDIS_CLUSTER_NODES. */
  nodes: string;
  masters: number[];
  replicas: number[];
  /** The node processes and their dirs (a run's teardown stops a shared cluster by them). */
  processes(): { pids: number[]; dirs: string[] };
  /** Kills one node (SIGKILL: a lost shard). */
  kill(port: number): Promise<void>;
  /** Starts a killed node again on its port and dir (it rejoins with its slots, without its data). */
  restart(port: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedisCluster(
  options: { masters?: number; replicas?: 0 | 1; firstPort?: number; blocks?: number } = {},
): Promise<RedisClusterServer> {
  const masters = options.masters ?? 3;
  const replicas = options.replicas ?? 0;
  const firstPort = options.firstPort ?? 7101;
  const blocks = options.blocks ?? 9;
  const count = masters * (1 + replicas);
  for (let block = 0; block < blocks; block++) {
    const ports = Array.from({ length: count }, (_, i) => firstPort + block * 10 + i);
    const started = await startNodes(ports);
    if (!started) continue;
    try {
      await run('redis-cli', [
        '--cluster',
        'create',
        ...ports.map((p) => `127.0.0.1:${p}`),
        '--cluster-replicas',
        String(replicas),
        '--cluster-yes',
      ]);
      await waitClusterOk(ports);
      return handle(started, ports.slice(0, masters), ports.slice(masters));
    } catch (err) {
      await stopAll(started);
      throw err;
    }
  }
  throw new Error(`no free block of ${count} ports for a Redis Cluster in ${firstPort}-${firstPort + blocks * 10}`);
}

interface NodeProcess {
  port: number;
  dir: string;
  child: ChildProcess;
}

function spawnNode(port: number, dir: string): ChildProcess {
  return spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      'nodes.conf',
      '--cluster-node-timeout',
      '2000',
      // A lost shard stops its own slots only; the other shards keep serving (SPEC §14).
      '--cluster-require-full-coverage',
      'no',
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: 'ignore' },
  );
}

/** Waits until the node on `port` answers and is this child (not someone else on the port); false if it exited. */
async function answered(port: number, child: ChildProcess): Promise<boolean> {
  const exited = once(child, 'exit').then(() => null);
  for (let i = 0; i < 200 && child.exitCode === null && child.signalCode === null; i++) {
    const info = await run('redis-cli', ['-p', String(port), 'info', 'server']).catch(() => null);
    const pid = /process_id:(\d+)/.exec(info?.stdout ?? '')?.[1];
    if (pid !== undefined && Number(pid) === child.pid) return true;
    await Promise.race([sleep(50), exited]);
  }
  return false;
}

async function startNodes(ports: number[]): Promise<NodeProcess[] | null> {
  const nodes: NodeProcess[] = [];
  for (const port of ports) {
    const dir = mkdtempSync(join(tmpdir(), `seatmap-redis-cluster-${port}-`));
    const child = spawnNode(port, dir);
    nodes.push({ port, dir, child });
    if (!(await answered(port, child))) {
      await stopAll(nodes);
      return null;
    }
  }
  return nodes;
}

async function stopAll(nodes: NodeProcess[]): Promise<void> {
  await Promise.all(nodes.map((n) => killNode(n.child)));
  for (const n of nodes) rmSync(n.dir, { recursive: true, force: true });
}

async function killNode(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGKILL');
  await once(child, 'exit');
}

/** Every node says cluster_state:ok, all 16384 slots ok, and knows every other node. */
async function waitClusterOk(ports: number[]): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const states = await Promise.all(
      ports.map((p) =>
        run('redis-cli', ['-p', String(p), 'cluster', 'info']).then(
          (r) => r.stdout,
          () => '',
        ),
      ),
    );
    const known = new RegExp(`cluster_known_nodes:${ports.length}\\b`);
    if (states.every((s) => /cluster_state:ok/.test(s) && /cluster_slots_ok:16384/.test(s) && known.test(s))) return;
    await sleep(50);
  }
  throw new Error('the Redis Cluster did not reach cluster_state:ok');
}

function handle(nodes: NodeProcess[], masters: number[], replicas: number[]): RedisClusterServer {
  const byPort = new Map(nodes.map((n) => [n.port, n]));
  return {
    nodes: masters.map((p) => `127.0.0.1:${p}`).join(','),
    masters,
    replicas,
    processes: () => ({ pids: nodes.map((n) => n.child.pid!), dirs: nodes.map((n) => n.dir) }),
    async kill(port) {
      await killNode(byPort.get(port)!.child);
    },
    async restart(port) {
      const node = byPort.get(port)!;
      for (let attempt = 0; attempt < 20; attempt++) {
        node.child = spawnNode(port, node.dir);
        if (await answered(port, node.child)) {
          await waitClusterOk(nodes.map((n) => n.port));
          return;
        }
        await sleep(100); // the old socket may linger a moment
      }
      throw new Error(`redis cluster node ${port} did not restart`);
    },
    stop: () => stopAll(nodes),
  };
}
