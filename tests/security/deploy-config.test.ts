import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/config.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** The shipped deployment files (no Docker engine here: they are checked by reading). */
describe('deployment files', () => {
  it('nginx forwards Host, X-Real-IP, X-Forwarded-For and X-Forwarded-Proto on every location that proxies', () => {
    const conf = read('deploy/nginx.conf');
    const locations = [...conf.matchAll(/^\s*location\s+([^{]+)\{([^}]*)\}/gm)];
    // A location that only answers itself (`return 404` for /metrics) forwards nothing.
    const proxied = locations.filter(([, , body]) => /\bproxy_pass\s/.test(body!));
    expect(proxied.length).toBeGreaterThanOrEqual(3);
    for (const [, where, body] of proxied) {
      for (const header of ['Host', 'X-Real-IP', 'X-Forwarded-For', 'X-Forwarded-Proto']) {
        expect(body, `${header} in location ${where!.trim()}`).toMatch(new RegExp(`proxy_set_header\\s+${header}\\s`));
      }
      // Appended, not replaced: the app takes the right-most entry, the one nginx saw.
      expect(body).toMatch(/X-Forwarded-For\s+\$proxy_add_x_forwarded_for;/);
    }
  });

  it('compose trusts only the proxy address, which the config accepts', () => {
    const compose = read('docker-compose.yml');
    const trust = /TRUST_PROXY:\s*"?([^"\n]+)"?/.exec(compose)?.[1]?.trim();
    const proxy = /proxy:[\s\S]*?ipv4_address:\s*([\d.]+)/.exec(compose)?.[1];
    expect(trust).toBe(proxy);
    expect(loadConfig({ TRUST_PROXY: trust }).TRUST_PROXY).toBe(proxy);
  });

  it('the Redis Cluster variant: masters the config accepts, joined by its init at the same fixed addresses', () => {
    const compose = read('docker-compose.cluster.yml');
    const nodes = /REDIS_CLUSTER_NODES:\s*(\S+)/.exec(compose)![1]!;
    expect(loadConfig({ REDIS_CLUSTER_NODES: nodes }).REDIS_CLUSTER_NODES).toBe(nodes);
    const fixed = [...compose.matchAll(/ipv4_address:\s*([\d.]+)/g)].map((m) => m[1]);
    expect(fixed).toHaveLength(6);
    const created = /--cluster create (.+) --cluster-replicas 1/.exec(compose)![1]!.split(' ');
    expect(created.map((a) => a.split(':')[0])).toEqual(fixed);
    for (const node of nodes.split(',')) expect(fixed).toContain(node.split(':')[0]);
    // A lost shard must not stop the others (SPEC §14).
    expect(compose).toMatch(/--cluster-require-full-coverage no/);
  });
});
