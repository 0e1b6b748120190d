import { describe, expect, it } from 'vitest';
import { ConfigError, corsOrigins, loadConfig, redisMode } from './config.ts';

describe('config', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      HOLD_TTL_SECONDS: 300,
      MAX_SEATS_PER_HOLD: 4,
      CANCEL_CUTOFF_MINUTES: 60,
      ORPHAN_RULE: 'on',
      REDIS_KEY_PREFIX: 'seatmap:',
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('coerces numbers and treats empty strings as unset', () => {
    const config = loadConfig({ PORT: '8080', HOLD_TTL_SECONDS: '60', DATABASE_URL: '', ORPHAN_RULE: 'off' });
    expect(config).toMatchObject({ PORT: 8080, HOLD_TTL_SECONDS: 60, ORPHAN_RULE: 'off' });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('refuses bad values with one readable message naming each', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', REDIS_URL: 'not a url', ORPHAN_RULE: 'maybe' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PORT');
    expect(message).toContain('REDIS_URL');
    expect(message).toContain('ORPHAN_RULE');
  });

  it('takes one Redis or a Redis Cluster (host:port list), never both, and a prefix without hash-tag braces', () => {
    expect(redisMode(loadConfig({}))).toBe('none');
    expect(redisMode(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }))).toBe('single');
    const cluster = loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, redis-2:7001,[::1]:7002' });
    expect(redisMode(cluster)).toBe('cluster');
    expect(cluster.REDIS_CLUSTER_NODES).toBe('10.0.0.1:7000, redis-2:7001,[::1]:7002');
    expect(redisMode(loadConfig({ REDIS_CLUSTER_NODES: '' }))).toBe('none');
    expect(() => loadConfig({ REDIS_URL: 'redis://a:6379', REDIS_CLUSTER_NODES: 'b:7000' })).toThrow(
      /REDIS_URL \(one Redis\) or REDIS_CLUSTER_NODES/,
    );
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'redis://b:7000' })).toThrow(/host:port/);
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'b' })).toThrow(/host:port/);
    expect(() => loadConfig({ REDIS_KEY_PREFIX: 'app:{x}:' })).toThrow(/must not contain/);
  });

  it('takes TRUST_PROXY as a hop count or proxy addresses, and refuses "trust everything"', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe('false');
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe('1');
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1, ::1' }).TRUST_PROXY).toBe('10.0.0.0/8, 127.0.0.1, ::1');
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY=true would believe any X-Forwarded-For/);
    for (const bad of ['yes', '10.0.0.0/33', 'proxy.example', '1.2.3']) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY takes false, a hop count/);
    }
  });

  it('splits CORS origins', () => {
    expect(corsOrigins(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example' }))).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
    expect(corsOrigins(loadConfig({}))).toBe('*');
    // Production without a list: same origin only.
    expect(corsOrigins(loadConfig({ NODE_ENV: 'production', ADMIN_TOKEN: 'x'.repeat(16) }))).toEqual([]);
    expect(corsOrigins(loadConfig({ NODE_ENV: 'production', ADMIN_TOKEN: 'x'.repeat(16), CORS_ORIGINS: '*' }))).toBe(
      '*',
    );
  });
});
