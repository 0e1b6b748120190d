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

/** A body and its compressed forms, each made at most once, on first request (off the event loop). */
export interface EncodedBody {
  readonly json: string;
  get(encoding: Encoding): string | Promise<Buffer>;
}

/** `quality`: brotli level (gzip follows it up to 9); fast for per-version bodies, higher for layouts made once. */
export function encodedBody(json: string, quality = 4): EncodedBody {
  const forms = new Map<Exclude<Encoding, 'identity'>, Promise<Buffer>>();
  return {
    json,
    get(encoding) {
      if (encoding === 'identity') return json;
      let form = forms.get(encoding);
      if (!form) {
        form =
          encoding === 'br'
            ? brotli(json, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: quality } })
            : gzip(json, { level: Math.min(9, quality) });
        forms.set(encoding, form);
      }
      return form;
    },
  };
}

/**
 * The last snapshot of each performance, keyed by its version. A request costs one version read while nothing
 * changes; any change moves the version and the snapshot is rebuilt once, however many requests wait for it.
 * Bounded: the least recently built performances are dropped.
 */
export function createSnapshotCache<S extends { version: number }>(maxEntries = 16) {
  const entries = new Map<string, S>();
  const building = new Map<string, Promise<S>>();

  return {
    /**
     * The snapshot at `version` (read just before), building it with `build` — which reads the statuses atomically
     * and returns the version it read — when the cached one is at another version. Never older than `version`.
     */
    async get(scheduleId: string, version: number, build: () => Promise<S>): Promise<S> {
      const entry = entries.get(scheduleId);
      if (entry && entry.version === version) return entry;
      let pending = building.get(scheduleId);
      if (!pending) {
        pending = build()
          .then((fresh) => {
            const current = entries.get(scheduleId);
            if (!current || current.version !== fresh.version) {
              entries.delete(scheduleId);
              entries.set(scheduleId, fresh);
              if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
            }
            return entries.get(scheduleId) ?? fresh;
          })
          .finally(() => building.delete(scheduleId));
        building.set(scheduleId, pending);
      }
      const built = await pending;
      // A build that started before this request's version read may be older: build once more. A newer one is
      // fine: it was read after this request's version.
      return built.version < version ? this.get(scheduleId, version, build) : built;
    },
    /** The version of every cached snapshot (the hold store's version floors: what this node may still serve). */
    versions(): Map<string, number> {
      return new Map([...entries].map(([id, entry]) => [id, entry.version]));
    },
  };
}

export type SnapshotCache<S extends { version: number }> = ReturnType<typeof createSnapshotCache<S>>;
