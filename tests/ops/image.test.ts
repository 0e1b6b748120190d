import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const json = (file: string) => JSON.parse(read(file));

/** The stages of a Dockerfile: FROM line and the instructions under it (continuations joined). */
function stages(dockerfile: string) {
  const lines = dockerfile
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const out: { from: string; lines: string[] }[] = [];
  for (const line of lines) {
    if (/^FROM\s/i.test(line)) out.push({ from: line, lines: [] });
    else out.at(-1)?.lines.push(line);
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    if (statSync(path.join(root, rel)).isDirectory()) return sourceFiles(rel);
    return rel.endsWith('.ts') && !rel.endsWith('.test.ts') && !rel.endsWith('.contract.ts') ? [rel] : [];
  });
}

/** No Docker engine here: the image is checked by reading its Dockerfile (and run as processes by hand, see notes). */
describe('production image', () => {
  const dockerfile = read('Dockerfile');
  const all = stages(dockerfile);
  const runtime = all.at(-1)!;

  it('is multi-stage on Node 24, with production dependencies only in the final stage', () => {
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-slim$/m);
    expect(runtime.from).toMatch(/^FROM \$\{NODE_IMAGE\} AS runtime$/);
    const prodDeps = all.find((s) => /AS prod-deps$/.test(s.from))!;
    expect(prodDeps.lines.join('\n')).toMatch(/npm ci --omit=dev/);
    // The runtime's node_modules come from the production install, nothing installs in the final stage.
    expect(runtime.lines).toContain('COPY --from=prod-deps --chown=node:node /app/node_modules node_modules');
    expect(runtime.lines.some((l) => /^RUN\s/.test(l))).toBe(false);
  });

  it('runs as a non-root user with a HEALTHCHECK, and never copies the whole context', () => {
    expect(runtime.lines).toContain('USER node');
    expect(runtime.lines.some((l) => /^HEALTHCHECK .*\/health\/ready/.test(l))).toBe(true);
    expect(dockerfile).not.toMatch(/^COPY\s+\.\s+\./m);
    expect(runtime.lines.at(-1)).toBe('CMD ["node", "--import", "tsx", "server/src/main.ts"]');
  });

  it('copies only files that exist, and .dockerignore keeps tests, docs and .git out', () => {
    for (const line of runtime.lines.filter((l) => /^COPY\s/.test(l) && !l.includes('--from='))) {
      const sources = line
        .replace(/--chown=\S+\s*/, '')
        .split(/\s+/)
        .slice(1, -1);
      for (const source of sources) expect(existsSync(path.join(root, source)), source).toBe(true);
    }
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['.git', 'tests', 'docs', '**/*.test.ts', '**/node_modules']) expect(ignored).toContain(entry);
  });

  it('every package the server imports at run time is a production dependency (npm ci --omit=dev)', () => {
    const deps = new Set([
      ...Object.keys(json('server/package.json').dependencies),
      ...Object.keys(json('shared/package.json').dependencies),
      '@seatmap/shared',
    ]);
    expect(deps).toContain('tsx');
    const missing = new Set<string>();
    const files = [
      ...sourceFiles('server/src'),
      ...sourceFiles('shared/src'),
      ...sourceFiles('migrations'),
      'scripts/migrate.ts',
      'scripts/seed.ts',
      'scripts/retention.ts',
    ];
    for (const file of files) {
      // Type-only imports vanish at run time.
      for (const [, spec] of read(file).matchAll(/^\s*(?:import|export)\s(?!type\s)[^'"]*?from\s+'([^'.][^']*)'/gm)) {
        const name = spec!.startsWith('@') ? spec!.split('/').slice(0, 2).join('/') : spec!.split('/')[0]!;
        if (spec!.startsWith('node:') || builtinModules.includes(name)) continue;
        if (!deps.has(name)) missing.add(`${name} (${file})`);
      }
    }
    expect([...missing]).toEqual([]);
  });

  it('package.json says which Node lines the code runs on (20 and 24)', () => {
    const engines = json('package.json').engines.node as string;
    expect(engines).toMatch(/\^20\.19/);
    expect(engines).toMatch(/>=24/);
    expect(read('.nvmrc').trim()).toBe('24');
  });
});
