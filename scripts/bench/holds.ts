import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { cursor } from './seat-pools.ts';

const run = promisify(execFile);

export interface RateResult {
  perSecond: number;
  note: string;
  p50Ms?: number;
  p99Ms?: number;
}

/** Our hold path: POST /holds of one distinct seat per request, driven by autocannon at `connections`. */
export async function benchHolds(options: {
  url: string;
  scheduleId: string;
  seats: string[];
  connections: number;
  seconds: number;
}): Promise<RateResult & { refused: number }> {
  const seats = cursor(options.seats);
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        method: 'POST',
        path: `/api/schedules/${options.scheduleId}/holds`,
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => {
          const seat = seats.take();
          return seat ? { ...request, body: JSON.stringify({ seatIds: [seat] }) } : request;
        },
      },
    ],
  });
  const ok = result['2xx'];
  return {
    perSecond: ok / options.seconds,
    refused: result.non2xx,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    note: `autocannon -c ${options.connections} -d ${options.seconds}; ${ok} holds, ${result.non2xx} non-2xx${seats.used >= options.seats.length ? ' (ran out of seats)' : ''}`,
  };
}

/** redis-benchmark `SET key NX PX` on random keys under a throwaway prefix, at the same concurrency. */
export async function benchRedisBenchmark(redisUrl: string, clients: number, requests: number): Promise<RateResult> {
  const url = new URL(redisUrl);
  const prefix = `bench:raw:${randomBytes(4).toString('hex')}:`;
  const args = ['-h', url.hostname, '-p', url.port || '6379', '-c', String(clients), '-n', String(requests)];
  args.push('-r', '100000000', '-q', 'SET', `${prefix}__rand_int__`, '1', 'NX', 'PX', '60000');
  try {
    const { stdout } = await run('redis-benchmark', args, { timeout: 120_000 });
    const rps = /([\d.]+) requests per second/.exec(stdout)?.[1];
    const p50 = /p50=([\d.]+) msec/.exec(stdout)?.[1];
    return {
      perSecond: Number(rps ?? Number.NaN),
      p50Ms: p50 ? Number(p50) : undefined,
      note: `redis-benchmark -c ${clients} -n ${requests} SET k NX PX 60000 (keys expire in 60 s)`,
    };
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return { perSecond: Number.NaN, note: 'redis-benchmark missing' };
    return { perSecond: Number.NaN, note: `redis-benchmark failed: ${err instanceof Error ? err.message : err}` };
  }
}

/** The same command from Node: `clients` ioredis loops without pipelining, the ceiling for any Node client. */
export async function benchIoredis(redisUrl: string, clients: number, seconds: number): Promise<RateResult> {
  const redis = new Redis(redisUrl);
  const prefix = `bench:raw:${randomBytes(4).toString('hex')}:`;
  let done = 0;
  const stopAt = performance.now() + seconds * 1000;
  try {
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        for (let i = 0; performance.now() < stopAt; i++) {
          await redis.set(`${prefix}${c}:${i}`, '1', 'PX', 60_000, 'NX');
          done++;
        }
      }),
    );
  } finally {
    redis.disconnect();
  }
  return { perSecond: done / seconds, note: `ioredis, ${clients} concurrent loops on one connection, ${seconds} s` };
}
