import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { LatencyRecorder, type LatencySummary } from '../loadtest/stats.ts';

export interface BigMapResult {
  latencyMs: LatencySummary;
  rawBytes: number;
  gzipBytes: number;
  /** Whether the server answered `Accept-Encoding: gzip` with a compressed body. */
  serverCompresses: boolean;
  contentEncoding: string | null;
}

/** One GET, its body as bytes and its headers. */
export function get(url: string, headers: Record<string, string>) {
  return new Promise<{
    ms: number;
    body: Buffer;
    encoding: string | null;
    headers: Record<string, string | string[] | undefined>;
  }>((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          ms: performance.now() - started,
          body: Buffer.concat(chunks),
          encoding: (res.headers['content-encoding'] as string | undefined) ?? null,
          headers: res.headers,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The 50,000-seat map: time to the last byte over `times` sequential GETs, and its size raw and gzipped. */
export async function benchBigMap(url: string, path: string, times: number): Promise<BigMapResult> {
  const latency = new LatencyRecorder();
  let last: Awaited<ReturnType<typeof get>> | undefined;
  await get(url + path, {}); // warm the layout cache
  for (let i = 0; i < times; i++) {
    last = await get(url + path, { 'accept-encoding': 'gzip' });
    latency.record(last.ms);
  }
  const plain = await get(url + path, {});
  const compressed = last!.encoding === 'gzip' || last!.encoding === 'br' || last!.encoding === 'deflate';
  return {
    latencyMs: latency.summary(),
    rawBytes: plain.body.length,
    gzipBytes: compressed ? last!.body.length : gzipSync(plain.body).length,
    serverCompresses: compressed,
    contentEncoding: last!.encoding,
  };
}
