import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/processes.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('graceful shutdown', () => {
  it('finishes in-flight requests on SIGTERM, then exits 0', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: 'memory://',
        REDIS_URL: '',
        LOG_LEVEL: 'warn',
        SHUTDOWN_DELAY_MS: '1500',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const base = `http://127.0.0.1:${port}`;
    try {
      let concerts: { concerts: { id: string; title: string }[] } | null = null;
      for (let i = 0; i < 120 && !concerts; i++) {
        concerts = await fetch(`${base}/api/concerts`)
          .then((r) => (r.ok ? r.json() : null))
          .catch(() => null);
        if (!concerts) await sleep(250);
      }
      expect(concerts, output).not.toBeNull();
      const iu = concerts!.concerts.find((c) => c.title.includes('아이유'))!;
      const detail = await (await fetch(`${base}/api/concerts/${iu.id}`)).json();
      const schedules = (
        await Promise.all(
          detail.dates.map(
            async (d: string) =>
              (
                await (await fetch(`${base}/api/concerts/${iu.id}/schedules?date=${d}`)).json()
              ).schedules,
          ),
        )
      ).flat() as { id: string; totalSeats: number }[];
      const hall = schedules[0]!;
      await fetch(`${base}/api/schedules/${hall.id}/seats`); // warm the layout cache

      // Thirty seat maps in flight when the signal arrives.
      const inflight = Array.from({ length: 30 }, () =>
        fetch(`${base}/api/schedules/${hall.id}/seats`).then(async (r) => ({ status: r.status, body: await r.json() })),
      );
      child.kill('SIGTERM');
      // While draining the node says it is not ready, so a load balancer stops sending it traffic.
      let ready = { status: 'ok' };
      for (let i = 0; i < 20 && ready.status !== 'draining'; i++) {
        ready = await (await fetch(`${base}/health/ready`)).json();
        if (ready.status !== 'draining') await sleep(50);
      }
      expect(ready.status).toBe('draining');
      const results = await Promise.all(inflight);
      for (const r of results) {
        expect(r.status).toBe(200);
        expect(r.body.seats).toHaveLength(hall.totalSeats);
      }
      const [code] = await Promise.race([once(child, 'exit'), sleep(15_000).then(() => ['timeout'])]);
      expect(code, output).toBe(0);
      await expect(fetch(`${base}/health/live`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 90_000);
});
