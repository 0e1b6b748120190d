import { describe, expect, it } from 'vitest';
import { createSeatMapCache, negotiateEncoding } from './seat-map-cache.ts';

describe('seat map cache', () => {
  it('negotiates br, then gzip, honouring q=0', () => {
    expect(negotiateEncoding('gzip, deflate, br')).toBe('br');
    expect(negotiateEncoding('gzip')).toBe('gzip');
    expect(negotiateEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(negotiateEncoding('*')).toBe('br');
    expect(negotiateEncoding(undefined)).toBe('identity');
    expect(negotiateEncoding('identity')).toBe('identity');
  });

  it('builds once per version and rebuilds when the version moves', async () => {
    const cache = createSeatMapCache();
    let version = 1;
    let builds = 0;
    const build = async () => {
      builds++;
      return { version, json: `{"version":${version}}` };
    };
    const first = await Promise.all(Array.from({ length: 10 }, () => cache.get('s', 1, 'identity', build)));
    expect(new Set(first)).toEqual(new Set(['{"version":1}']));
    expect(builds).toBe(1);
    expect(await cache.get('s', 1, 'identity', build)).toBe('{"version":1}');
    expect(builds).toBe(1);
    version = 2;
    expect(await cache.get('s', 2, 'identity', build)).toBe('{"version":2}');
    expect(builds).toBe(2);
  });

  it('never answers with a body older than the version asked for', async () => {
    const cache = createSeatMapCache();
    let version = 5;
    const build = async () => ({ version, json: String(version) });
    await cache.get('s', 5, 'identity', build);
    version = 7;
    expect(await cache.get('s', 6, 'identity', build)).toBe('7');
  });
});
