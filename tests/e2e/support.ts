import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { buildApp } from '../../server/src/app.ts';
import { type Config, testConfig } from '../../server/src/config.ts';
import { isCI } from '../support/services.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Browser tests need Debian's Chromium: skipped locally without it, a failure under CI=true. */
export function browserAvailable(): boolean {
  if (existsSync(chromiumPath)) return true;
  if (isCI) throw new Error(`CI=true but no Chromium at ${chromiumPath}`);
  console.warn(`[e2e] skipping browser tests: no Chromium at ${chromiumPath}`);
  return false;
}

const buildCache = path.join(repoRoot, 'node_modules/.cache/seatmap-e2e-client');
/** A build lock older than this was left by a run that died: it is taken over. */
const STALE_LOCK_MS = 5 * 60_000;

/** A hash of everything the client build reads: its sources, page, config and the shared contracts. */
async function clientSourceHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const top of ['client', 'shared/src']) {
    const entries = await readdir(path.join(repoRoot, top), { recursive: true, withFileTypes: true });
    const files = entries
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name))
      .filter((f) => !/[/\\](dist|node_modules)[/\\]/.test(path.relative(repoRoot, f)))
      .sort();
    for (const file of files)
      hash
        .update(path.relative(repoRoot, file))
        .update('\0')
        .update(await readFile(file));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The built client for browser tests (the real client/dist is left alone): built once per source state into
 * node_modules/.cache and shared by every test file and worker — the first one to take the lock builds, the
 * others wait for its `.done` marker. `remove()` is kept for callers; the cache stays for the next file.
 */
export async function buildClient(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = path.join(buildCache, await clientSourceHash());
  const done = path.join(dir, '.done');
  const lock = `${dir}.lock`;
  const result = { dir, remove: async () => {} };
  await mkdir(buildCache, { recursive: true });
  for (;;) {
    if (existsSync(done)) return result;
    const took = await mkdir(lock).then(
      () => true,
      () => false,
    );
    if (took) break;
    const age = await stat(lock).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > STALE_LOCK_MS) await rm(lock, { recursive: true, force: true });
    else await new Promise((r) => setTimeout(r, 200));
  }
  try {
    if (existsSync(done)) return result;
    const staging = await mkdtemp(path.join(buildCache, 'staging-'));
    await build({
      root: path.join(repoRoot, 'client'),
      configFile: path.join(repoRoot, 'client/vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: staging, emptyOutDir: true },
    });
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
    await writeFile(done, '');
    return result;
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

export interface E2eServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** The whole server in this process (PGlite in memory, in-process holds) serving the built client on a free port. */
export async function startServer(clientDir: string, overrides: Partial<Config> = {}): Promise<E2eServer> {
  const config = testConfig({
    DATABASE_URL: 'memory://',
    RATE_LIMIT_PER_MINUTE: 0,
    BROADCAST_WINDOW_MS: 20,
    HOST: '127.0.0.1',
    PORT: 0,
    ...overrides,
  });
  const app = await buildApp(config, { clientDir, sweepIntervalMs: 100 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

export function launchBrowser(): Promise<Browser> {
  // chromium.launch gives every run a fresh temporary profile (user-data-dir).
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Counts real mouse clicks on the page (pointer clicks only, not keyboard activations). */
export async function countClicks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __clicks: number };
    w.__clicks = 0;
    window.addEventListener(
      'pointerup',
      (e) => {
        if (e.isPrimary && e.button === 0) w.__clicks++;
      },
      true,
    );
  });
}

export function clicksSoFar(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __clicks: number }).__clicks);
}

/** Clicks a seat on the canvas map at its drawn position. */
export async function clickSeat(page: Page, seatId: string): Promise<void> {
  await page.waitForFunction(
    (id) => (window as unknown as { __seatmap?: { seatPoint(id: string): unknown } }).__seatmap?.seatPoint(id) != null,
    seatId,
  );
  // Wait until the seat stays put for a few frames: the map re-fits while the page around it settles.
  // No named function inside the page callback: tsx (esbuild keepNames) would wrap it in a helper the page lacks.
  const point = await page.evaluate(async (id) => {
    const map = (window as unknown as { __seatmap: { seatPoint(id: string): { x: number; y: number } } }).__seatmap;
    let last = map.seatPoint(id);
    for (let stable = 0, i = 0; stable < 3 && i < 120; i++) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const next = map.seatPoint(id);
      stable = next.x === last.x && next.y === last.y ? stable + 1 : 0;
      last = next;
    }
    return last;
  }, seatId);
  await page.mouse.click(point.x, point.y);
}

/** Presses Tab until the focused element matches, so keyboard tests never click. */
export async function tabTo(
  page: Page,
  matches: (el: { tag: string; text: string; label: string }) => boolean,
  max = 60,
) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const el = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement | null;
      return { tag: a?.tagName ?? '', text: a?.textContent?.trim() ?? '', label: a?.getAttribute('aria-label') ?? '' };
    });
    if (matches(el)) return el;
  }
  throw new Error('tabTo: target never received focus');
}

/** A desktop-sized page whose steps fail fast (and name the step) instead of running into the test timeout. */
export async function openPage(browser: Browser, viewport = { width: 1280, height: 860 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(10_000);
  return page;
}
