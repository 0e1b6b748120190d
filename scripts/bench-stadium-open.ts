/**
 * `npm run bench:stadium-open`: how long the 50,000-seat stadium's seat map takes to open on a mid-range phone
 * profile, for this checkout's client beside another git ref's client (default `main`) in the same run, runs
 * interleaved. Profiles (Chromium through CDP): unthrottled; CPU 4× slower with DevTools' "Fast 4G" network; and
 * the CPU rate DevTools' calibration would pick for its mid-tier phone (Lighthouse's BenchmarkIndex 1000, "like a
 * Pixel 5") on this host at the start of the run, with Fast 4G; "Slow 4G" too with --slow.
 *
 * "Open" = from the navigation (or the click on the performance) to the first frame painted after the map was
 * built with every seat's status (the page's `__seatmap` hook appears when the map is built; the app is shown).
 * Scenarios: a first visit (empty cache, the whole page loads), a reload (the browser's cache as the server's
 * cache headers allow), and the click from the concert page (app loaded, seat data not yet fetched).
 * A benchmark, not a test: it prints a markdown table and, unless --no-write, puts it into docs/benchmarks.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { build } from 'vite';
import { type E2eServer, launchBrowser, startServer } from '../tests/e2e/support.ts';

const HELP = `usage: npm run bench:stadium-open -- [options]

  --before <ref>   git ref whose client is measured beside this checkout's (default main; "none" skips it)
  --runs <n>       runs per client and scenario, interleaved (default 5); the table gives medians
  --slow           also measure on DevTools' "Slow 4G"
  --out <file>     markdown file to update (default docs/benchmarks.md); --no-write to only print`;

const { values } = parseArgs({
  options: {
    before: { type: 'string', default: 'main' },
    runs: { type: 'string', default: '5' },
    slow: { type: 'boolean', default: false },
    out: { type: 'string', default: 'docs/benchmarks.md' },
    'no-write': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 50) {
  console.error(`bench:stadium-open: --runs must be 1–50\n\n${HELP}`);
  process.exit(2);
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (line: string) => console.error(`[stadium-open] ${line}`);
const phone = { width: 390, height: 844 };

/** Chrome DevTools' presets (front_end/core/sdk/NetworkManager.ts): throughput in bytes/s, latency per request. */
const NETWORKS = {
  'Fast 4G': {
    latency: 60 * 2.75,
    downloadThroughput: ((9 * 1000 * 1000) / 8) * 0.9,
    uploadThroughput: ((1.5 * 1000 * 1000) / 8) * 0.9,
  },
  'Slow 4G': {
    latency: 150 * 3.75,
    downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9,
    uploadThroughput: ((750 * 1000) / 8) * 0.9,
  },
} as const;
type NetworkName = keyof typeof NETWORKS;

interface Profile {
  name: string;
  cpu: number;
  network: NetworkName | null;
}

/** DevTools' mid-tier target: the BenchmarkIndex of a Pixel 5 (CalibrationController in devtools-frontend). */
const MID_TIER_INDEX = 1000;

/**
 * Lighthouse's BenchmarkIndex, written out here: the mean of two rates per second ÷ 10 over `ms` — building a
 * 10,000-character string one character at a time (allocation and GC heavy) and copying a 100,000-element array.
 * A string so it runs in the page as is.
 */
const BENCHMARK_INDEX = (ms: number) => `(() => {
  const half = ${ms / 2};
  let start = Date.now();
  let n = 0;
  while (Date.now() - start < half) {
    let text = '';
    for (let k = 0; k < 10000; k++) text += 'a';
    if (text.length === 1) throw new Error('unreachable');
    n++;
  }
  const strings = Math.round(n / 10 / ((Date.now() - start) / 1000));
  const one = [];
  const two = [];
  for (let k = 0; k < 100000; k++) one[k] = two[k] = k;
  start = Date.now();
  n = 0;
  while (n % 10 !== 0 || Date.now() - start < half) {
    const from = n % 2 === 0 ? one : two;
    const to = n % 2 === 0 ? two : one;
    for (let k = 0; k < from.length; k++) to[k] = from[k];
    n++;
  }
  const copies = Math.round(n / 10 / ((Date.now() - start) / 1000));
  return (strings + copies) / 2;
})()`;

/** The CPU throttling rate at which this host scores the mid-tier index (bisection, as DevTools calibrates). */
async function calibrate(browser: Browser): Promise<{ rate: number; hostIndex: number; index: number }> {
  const page = await browser.newPage();
  try {
    const cdp = await page.context().newCDPSession(page);
    const score = async (rate: number) => {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate });
      return (await page.evaluate(BENCHMARK_INDEX(500))) as number;
    };
    await score(1); // warm-up
    const hostIndex = Math.max(await score(1), await score(1));
    if (hostIndex <= MID_TIER_INDEX) return { rate: 1, hostIndex, index: hostIndex };
    let low = 1;
    let high = Math.max(2, (hostIndex / MID_TIER_INDEX) * 2);
    let rate = 1;
    let index = hostIndex;
    for (let i = 0; i < 8; i++) {
      rate = Number(((low + high) / 2).toFixed(2));
      index = await score(rate);
      if (Math.abs(index - MID_TIER_INDEX) < 25) break;
      if (index < MID_TIER_INDEX) high = rate;
      else low = rate;
    }
    return { rate, hostIndex, index };
  } finally {
    await page.close();
  }
}

interface ClientBuild {
  dir: string;
  remove(): Promise<void>;
}

/** Builds the client whose sources are under `root` (a checkout) into `dir`. */
async function buildClientAt(root: string, dir: string): Promise<void> {
  await build({
    root: path.join(root, 'client'),
    configFile: path.join(root, 'client/vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: dir, emptyOutDir: true },
  });
}

/** This checkout's client, built into a temp dir (client/dist is left alone). */
async function buildThisClient(): Promise<ClientBuild> {
  const dir = await mkdtemp(path.join(tmpdir(), 'seatmap-bench-client-'));
  await buildClientAt(repoRoot, dir);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A client build of another git ref, made from `git archive` next to this checkout's node_modules. */
async function buildRef(ref: string): Promise<ClientBuild & { sha: string }> {
  const sha = execFileSync('git', ['rev-parse', '--short', ref], { cwd: repoRoot, encoding: 'utf8' }).trim();
  const src = path.join(repoRoot, 'node_modules/.cache/seatmap-bench', sha);
  await rm(src, { recursive: true, force: true });
  await mkdir(src, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${sha} client | tar -x -C ${JSON.stringify(src)}`], { cwd: repoRoot });
  const dir = path.join(src, 'dist');
  await buildClientAt(src, dir);
  return { dir, sha, remove: () => rm(src, { recursive: true, force: true }) };
}

interface Target {
  name: string;
  server: E2eServer;
  concertId: string;
  scheduleId: string;
  date: string;
}

async function stadiumOf(server: E2eServer): Promise<Omit<Target, 'name' | 'server'>> {
  // biome-ignore lint/suspicious/noExplicitAny: reads the demo data's JSON loosely.
  const get = async (url: string) => (await fetch(`${server.url}${url}`)).json() as Promise<any>;
  const { concerts } = await get('/api/concerts');
  const concertId = concerts.find((c: { title: string }) => c.title.includes('BTS')).id as string;
  const { dates } = await get(`/api/concerts/${concertId}`);
  const { schedules } = await get(`/api/concerts/${concertId}/schedules?date=${dates[0]}`);
  const scheduleId = schedules[0].id as string;
  // Some seats held and booked, so the statuses are not all one letter.
  const { seats } = await get(`/api/schedules/${scheduleId}/seats`);
  for (let k = 0; k < 30; k++) {
    const seatIds = [seats[(k * 1543) % seats.length].id];
    await fetch(`${server.url}/api/schedules/${scheduleId}/holds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seatIds }),
    });
  }
  // Each answer's compressed bytes are made once per version on the server: make them before anything is timed.
  const { layoutVersion } = await get(`/api/schedules/${scheduleId}/status`);
  const layout = `/api/schedules/${scheduleId}/layout`;
  for (const url of [
    `/api/schedules/${scheduleId}/seats`,
    `${layout}?v=${layoutVersion}`,
    `${layout}?form=columns&v=${layoutVersion}`,
  ]) {
    for (const encoding of ['br', 'gzip']) {
      await fetch(`${server.url}${url}`, { headers: { 'accept-encoding': encoding } }).then((r) => r.arrayBuffer());
    }
  }
  return { concertId, scheduleId, date: dates[0] };
}

/** Watches, from the first script on, for the first painted frame after the map is built and the app shown. */
async function watchOpen(context: BrowserContext): Promise<void> {
  // A string, not a function: tsx (esbuild keepNames) would wrap named inner functions in a helper the page lacks.
  await context.addInitScript({
    content: `(() => {
      const w = window;
      w.__watchOpen = () => {
        w.__opened = undefined;
        let seen = false;
        const tick = () => {
          // The frame after the one in which the map appeared has been painted by the time this runs.
          if (seen) {
            w.__opened = performance.now();
            return;
          }
          seen = w.__seatmap !== undefined && document.getElementById('app')?.hidden === false;
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      };
      w.__watchOpen();
    })();`,
  });
}

async function throttle(page: Page, profile: Profile): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  if (profile.cpu !== 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
  if (profile.network) {
    await cdp.send('Network.emulateNetworkConditions', { offline: false, ...NETWORKS[profile.network] });
  }
  return cdp;
}

interface Sample {
  ms: number;
  /** Bytes of seat data over the wire (status / layout / seats), 0 when served from the browser's cache. */
  seatBytes: number;
  requests: string[];
}

async function seatTraffic(page: Page, since: number): Promise<Omit<Sample, 'ms'>> {
  return page.evaluate((t0) => {
    const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const seat = entries.filter(
      (e) => e.startTime >= t0 && /\/api\/schedules\/[^/]+\/(seats|layout|status)/.test(e.name),
    );
    return {
      seatBytes: seat.reduce((n, e) => n + e.transferSize, 0),
      requests: seat.map((e) => `${new URL(e.name).pathname.split('/').pop()}${e.transferSize ? '' : ' (cache)'}`),
    };
  }, since);
}

const seatUrl = (t: Target) => `${t.server.url}/#/concerts/${t.concertId}/schedules/${t.scheduleId}?date=${t.date}`;

async function waitOpened(page: Page): Promise<number> {
  await page.waitForFunction(() => (window as unknown as { __opened?: number }).__opened !== undefined, null, {
    timeout: 60_000,
  });
  return page.evaluate(() => (window as unknown as { __opened: number }).__opened);
}

/** First visit and reload, in one fresh context (empty cache). */
async function visitAndReload(browser: Browser, t: Target, profile: Profile): Promise<[Sample, Sample]> {
  const context = await browser.newContext({ viewport: phone, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  try {
    await watchOpen(context);
    const page = await context.newPage();
    await throttle(page, profile);
    await page.goto(seatUrl(t));
    const first = { ms: await waitOpened(page), ...(await seatTraffic(page, 0)) };
    await page.reload();
    const second = { ms: await waitOpened(page), ...(await seatTraffic(page, 0)) };
    return [first, second];
  } finally {
    await context.close();
  }
}

/** The concert page loaded (unthrottled), then the click on the performance on the phone profile. */
async function fromConcertPage(browser: Browser, t: Target, profile: Profile): Promise<Sample> {
  const context = await browser.newContext({ viewport: phone, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  try {
    await watchOpen(context);
    const page = await context.newPage();
    await page.goto(`${t.server.url}/#/concerts/${t.concertId}?date=${t.date}`);
    const link = page.locator(`a[href*="/schedules/${t.scheduleId}"]`).first();
    await link.waitFor();
    await page.waitForLoadState('networkidle');
    await throttle(page, profile);
    const start = await page.evaluate(() => {
      (window as unknown as { __watchOpen(): void }).__watchOpen();
      return performance.now();
    });
    await link.click();
    const ms = (await waitOpened(page)) - start;
    return { ms, ...(await seatTraffic(page, start)) };
  } finally {
    await context.close();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmtMs = (xs: number[]) => `${Math.round(median(xs)).toLocaleString('en-US')} ms`;
const fmtRange = (xs: number[]) =>
  `${Math.round(Math.min(...xs)).toLocaleString('en-US')}–${Math.round(Math.max(...xs)).toLocaleString('en-US')}`;
const fmtKb = (xs: number[]) => {
  const kb = median(xs) / 1024;
  return kb < 1 ? `${Math.round(median(xs))} B` : `${kb.toFixed(kb < 10 ? 1 : 0)} KiB`;
};

async function main() {
  const started = new Date();
  const load = loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
  log('building the clients');
  const after = await buildThisClient();
  const before = values.before === 'none' ? null : await buildRef(values.before);
  log('starting servers (PGlite, demo data with the 50,000-seat stadium)');
  // One after the other: two demo seedings at once can outlast a plugin's start timeout on a busy box.
  const servers = [await startServer(after.dir, { SEED_DEMO: true })];
  if (before) servers.push(await startServer(before.dir, { SEED_DEMO: true }));
  const browser = await launchBrowser();
  const targets: Target[] = [];
  try {
    targets.push({ name: 'this checkout', server: servers[0]!, ...(await stadiumOf(servers[0]!)) });
    if (before && servers[1])
      targets.unshift({
        name: `${values.before} (${before.sha})`,
        server: servers[1],
        ...(await stadiumOf(servers[1])),
      });
    const mid = await calibrate(browser);
    log(`host BenchmarkIndex ${mid.hostIndex}; mid-tier (${MID_TIER_INDEX}) at CPU ${mid.rate}× (scored ${mid.index})`);
    const profiles: Profile[] = [
      { name: 'unthrottled', cpu: 1, network: null },
      { name: 'CPU 4×, Fast 4G', cpu: 4, network: 'Fast 4G' },
      { name: `mid-tier phone (CPU ${mid.rate}×), Fast 4G`, cpu: mid.rate, network: 'Fast 4G' },
      ...(values.slow ? [{ name: 'CPU 4×, Slow 4G', cpu: 4, network: 'Slow 4G' } as const] : []),
    ];
    const scenarios = ['first visit', 'reload', 'from the concert page'] as const;
    type Key = `${string}|${string}|${string}`;
    const samples = new Map<Key, Sample[]>();
    const add = (target: Target, profile: Profile, scenario: string, s: Sample) => {
      const key: Key = `${target.name}|${profile.name}|${scenario}`;
      samples.set(key, [...(samples.get(key) ?? []), s]);
      log(`${key}: ${Math.round(s.ms)} ms, ${s.requests.join(', ')}`);
    };
    for (let run = 0; run < runs; run++) {
      for (const profile of profiles) {
        for (const target of targets) {
          const [first, reload] = await visitAndReload(browser, target, profile);
          add(target, profile, 'first visit', first);
          add(target, profile, 'reload', reload);
          add(target, profile, 'from the concert page', await fromConcertPage(browser, target, profile));
        }
      }
    }
    const rows: string[] = [];
    for (const profile of profiles) {
      for (const scenario of scenarios) {
        const cells = targets.map((target) => samples.get(`${target.name}|${profile.name}|${scenario}`) ?? []);
        const medians = cells.map((c) => median(c.map((x) => x.ms)));
        const ours = medians.at(-1)!;
        const ratio = targets.length > 1 ? `${(ours / medians[0]!).toFixed(2)}×` : '—';
        rows.push(
          `| ${profile.name} | ${scenario} | ${cells
            .map(
              (c) =>
                `${fmtMs(c.map((x) => x.ms))} (${fmtRange(c.map((x) => x.ms))}; ${fmtKb(c.map((x) => x.seatBytes))}: ${c[0]?.requests.join(', ')})`,
            )
            .join(' | ')} | ${ratio} | ${ours <= 1500 ? 'yes' : '**no**'} |`,
        );
      }
    }
    const header = `| profile | scenario | ${targets.map((t) => t.name).join(' | ')} | ratio | ≤ 1.5 s |\n|---|---|${targets.map(() => '---:|').join('')}---:|:---:|`;
    const section = [
      `### ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC — ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Chromium, load average ${load} at start`,
      '',
      `Median (min–max) of ${runs} interleaved runs; phone viewport 390×844 @2×; "open" = navigation (or the click on the performance) → first frame painted with the map built. Network = DevTools preset (Fast 4G: 165 ms, 8.1 Mbit/s down; Slow 4G: 563 ms, 1.4 Mbit/s). This host's Lighthouse BenchmarkIndex was ${mid.hostIndex} unthrottled; DevTools' mid-tier phone (index ${MID_TIER_INDEX}, "like a Pixel 5") is CPU ${mid.rate}× here (scored ${mid.index}), so CPU 4× emulates a slower phone than that. In brackets after the range: seat data over the wire and the seat requests of one run ("(cache)": from the browser's cache). Ratio = this checkout ÷ ${targets[0]!.name}.`,
      '',
      header,
      ...rows,
    ].join('\n');
    console.log(section);
    if (!values['no-write']) await writeSectionInto(values.out, section);
  } finally {
    await browser.close();
    await Promise.all(servers.map((s) => s?.close()));
    await after.remove();
    await before?.remove();
  }
}

const START = '<!-- bench:stadium-open:start (written by npm run bench:stadium-open; edits inside are overwritten) -->';
const END = '<!-- bench:stadium-open:end -->';

/** Puts the newest run under the "Stadium seat map on a phone" heading, keeping the rest of the file. */
async function writeSectionInto(file: string, section: string): Promise<void> {
  const existing = await readFile(file, 'utf8');
  const block = `${START}\n${section}\n${END}`;
  const start = existing.indexOf(START);
  const end = existing.indexOf(END);
  const next =
    start >= 0 && end > start
      ? existing.slice(0, start) + block + existing.slice(end + END.length)
      : `${existing.trimEnd()}\n\n## Stadium seat map on a phone (\`npm run bench:stadium-open\`)\n\n${block}\n`;
  await writeFile(file, next);
  log(`wrote ${file}`);
}

await main();
