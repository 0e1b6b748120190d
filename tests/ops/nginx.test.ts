import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCI } from '../support/services.ts';
import { waitFor } from '../support/wait.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const config = readFileSync(path.join(root, 'deploy/nginx.conf'), 'utf8');

/** nginx from NGINX_BIN (.ci/run unpacks one), the PATH or /usr/sbin; outside CI the live test needs one. */
const nginx = [process.env.NGINX_BIN, 'nginx', '/usr/sbin/nginx'].find(
  (bin) => bin && spawnSync(bin, ['-v']).status === 0,
);

describe('deploy/nginx.conf', () => {
  it('refuses /metrics on the public listener before any location that proxies', () => {
    const metrics = config.indexOf('location ~ ^/metrics(/|$) {');
    expect(metrics).toBeGreaterThan(0);
    expect(config.slice(metrics, config.indexOf('}', metrics))).toContain('return 404;');
    // Regex locations are tried in order and win over prefix ones: it must come before the live feed's regex.
    expect(metrics).toBeLessThan(config.indexOf('location ~ ^/api/schedules/'));
  });
});

/** Free TCP port from the OS (nginx needs a number in its config). */
async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  probe.close();
  return port;
}

function get(port: number, urlPath: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.runIf(nginx || isCI)('deploy/nginx.conf in a real nginx', () => {
  let upstream: Server;
  let proxy: ChildProcess;
  let port: number;
  let dir: string;
  let log = '';

  beforeAll(async () => {
    if (!nginx) throw new Error('no nginx: set NGINX_BIN or install nginx (.ci/run unpacks the Debian package)');
    // Stands in for the app nodes: answers every path it is sent, so a 404 can only come from nginx.
    upstream = createServer((req, res) => res.end(`upstream ${req.url}`));
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    const { port: app } = upstream.address() as AddressInfo;
    port = await freePort();
    dir = mkdtempSync(path.join(tmpdir(), 'seatmap-nginx-'));
    const local = config
      .replace(/server app[12]:3000/g, `server 127.0.0.1:${app}`)
      .replace('listen 80;', `listen 127.0.0.1:${port};`)
      .replace('worker_processes auto;', 'worker_processes 1;')
      // Packaged builds keep temporary files under /var/lib/nginx: everything of this run stays in its folder.
      .replace(
        'http {',
        `http {\n  access_log off; ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${dir}/${t};`).join(' ')}`,
      );
    writeFileSync(path.join(dir, 'nginx.conf'), local);
    proxy = spawn(
      nginx!,
      ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', `daemon off; pid ${dir}/nginx.pid; error_log stderr;`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    proxy.stderr?.on('data', (d) => (log += d));
    await waitFor(
      async () => {
        if (proxy.exitCode !== null) throw new Error(`nginx exited:\n${log}`);
        return get(port, '/health/live').then(
          (r) => r.status === 200,
          () => false,
        );
      },
      30_000,
      'nginx to listen',
    );
  });
  afterAll(async () => {
    if (proxy && proxy.exitCode === null) {
      proxy.kill('SIGTERM');
      await once(proxy, 'exit');
    }
    upstream?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('passes the app through and answers 404 for /metrics in every spelling', async () => {
    expect(await get(port, '/api/concerts')).toEqual({ status: 200, body: 'upstream /api/concerts' });
    expect(await get(port, '/metricsfoo')).toMatchObject({ status: 200 });
    for (const spelling of ['/metrics', '/metrics/', '/metrics?x=1', '//metrics', '/%6Detrics', '/./metrics']) {
      const res = await get(port, spelling);
      expect(res.status, spelling).toBe(404);
      expect(res.body, spelling).not.toContain('upstream');
    }
  });
});
