import { promisify } from 'node:util';
import zlib from 'node:zlib';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

export type Encoding = 'br' | 'gzip' | 'identity';

/** Picks the best encoding the client accepts (q-values of 0 refuse one). */
export function negotiateEncoding(acceptEncoding: string | undefined): Encoding {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name, q ? Number(q.slice(2)) : 1);
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return 'identity';
}

interface Entry {
  version: number;
  json: string;
  encoded: Map<Exclude<Encoding, 'identity'>, Promise<Buffer>>;
}

/**
 * The last seat map body of each performance, keyed by its version, with its compressed forms made once. A
 * request costs one version read while nothing changes; any change moves the version and the body is rebuilt.
 * Bounded: the least recently built performances are dropped.
 */
export function createSeatMapCache(maxEntries = 16) {
  const entries = new Map<string, Entry>();
  const building = new Map<string, Promise<Entry>>();

  function encode(entry: Entry, encoding: Exclude<Encoding, 'identity'>): Promise<Buffer> {
    let pending = entry.encoded.get(encoding);
    if (!pending) {
      pending =
        encoding === 'br'
          ? brotli(entry.json, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } })
          : gzip(entry.json, { level: 4 });
      entry.encoded.set(encoding, pending);
    }
    return pending;
  }

  return {
    /**
     * The body at `version` for this encoding, building it with `build` (which reads the statuses atomically and
     * returns the version it read) when the cached one is older.
     */
    async get(
      scheduleId: string,
      version: number,
      encoding: Encoding,
      build: () => Promise<{ version: number; json: string }>,
    ): Promise<string | Buffer> {
      let entry = entries.get(scheduleId);
      if (!entry || entry.version !== version) {
        let pending = building.get(scheduleId);
        if (!pending) {
          pending = build()
            .then(({ version: built, json }) => {
              const fresh: Entry = { version: built, json, encoded: new Map() };
              const current = entries.get(scheduleId);
              if (!current || current.version !== built) {
                entries.delete(scheduleId);
                entries.set(scheduleId, fresh);
                if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
              }
              return fresh;
            })
            .finally(() => building.delete(scheduleId));
          building.set(scheduleId, pending);
        }
        entry = await pending;
        // A build that started before this request's version read may be older: build once more.
        if (entry.version < version) return this.get(scheduleId, version, encoding, build);
        // A newer build is fine: it was read after this request's version.
      }
      return encoding === 'identity' ? entry.json : encode(entry, encoding);
    },
  };
}
