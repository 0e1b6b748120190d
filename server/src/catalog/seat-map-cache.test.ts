import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createSnapshotCache, encodedBody, negotiateEncoding } from './seat-map-cache.ts';

describe('snapshot cache', () => {
  it('negotiates br, then gzip, honouring q=0', () => {
    expect(negotiateEncoding('gzip, deflate, br')).toBe('br');
    expect(negotiateEncoding('gzip')).toBe('gzip');
    expect(negotiateEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(negotiateEncoding('*')).toBe('br');
    expect(negotiateEncoding(undefined)).toBe('identity');
    expect(negotiateEncoding('identity')).toBe('identity');
  });

  it('builds once per version and rebuilds when the version moves', async () => {
    const cache = createSnapshotCache<{ version: number }>();
    let version = 1;
    let builds = 0;
    const build = async () => {
      builds++;
      return { version };
    };
    const first = await Promise.all(Array.from({ length: 10 }, () => cache.get('s', 1, build)));
    expect(new Set(first).size).toBe(1);
    expect(builds).toBe(1);
    expect(await cache.get('s', 1, build)).toBe(first[0]);
    expect(builds).toBe(1);
    version = 2;
    expect(await cache.get('s', 2, build)).toEqual({ version: 2 });
    expect(builds).toBe(2);
    expect(cache.versions()).toEqual(new Map([['s', 2]]));
  });

  it('never answers with a snapshot older than the version asked for', async () => {
    const cache = createSnapshotCache<{ version: number }>();
    let version = 5;
    const build = async () => ({ version });
    await cache.get('s', 5, build);
    version = 7;
    expect(await cache.get('s', 6, build)).toEqual({ version: 7 });
  });

  it('compresses a body once per encoding', async () => {
    const body = encodedBody('{"a":1}');
    expect(body.get('identity')).toBe('{"a":1}');
    const gz = body.get('gzip');
    expect(body.get('gzip')).toBe(gz);
    expect(gunzipSync(await gz).toString()).toBe('{"a":1}');
  });
});
