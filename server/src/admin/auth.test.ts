import { describe, expect, it } from 'vitest';
import { testConfig } from '../config.ts';
import { bearerToken, createAdminAuth, withAdminToken } from './auth.ts';

describe('createAdminAuth', () => {
  const auth = createAdminAuth('a-very-secret-admin-token');

  it('accepts the token and tells a missing token (401) from a wrong one (403)', () => {
    expect(auth.check('a-very-secret-admin-token')).toEqual({ ok: true });
    for (const missing of [undefined, '', 42, null])
      expect(auth.check(missing)).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    for (const wrong of ['a-very-secret-admin-toke', 'a-very-secret-admin-token ', 'x']) {
      expect(auth.check(wrong)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    }
  });

  it('refuses everything when no token is configured', () => {
    const disabled = createAdminAuth(undefined);
    expect(disabled.enabled).toBe(false);
    expect(disabled.check(undefined)).toMatchObject({ status: 401 });
    expect(disabled.check('anything-at-all')).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });
});

describe('bearerToken', () => {
  it('reads the Bearer scheme only', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer   abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

describe('withAdminToken', () => {
  it('makes up a token in embedded mode only, and keeps a configured one', () => {
    const embedded = withAdminToken(testConfig());
    expect(embedded.generated).toMatch(/^[\w-]{32}$/);
    expect(embedded.config.ADMIN_TOKEN).toBe(embedded.generated);
    expect(withAdminToken(testConfig()).generated).not.toBe(embedded.generated);
    const cluster = withAdminToken(testConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }));
    expect(cluster.generated).toBeNull();
    expect(cluster.config.ADMIN_TOKEN).toBeUndefined();
    const set = withAdminToken(testConfig({ ADMIN_TOKEN: 'configured-token-123456' }));
    expect(set).toMatchObject({ generated: null, config: { ADMIN_TOKEN: 'configured-token-123456' } });
  });
});
