import { readFile, writeFile } from 'node:fs/promises';

export const SECTION_START = '<!-- bench:core:start (written by npm run bench; edits inside are overwritten) -->';
export const SECTION_END = '<!-- bench:core:end -->';

/**
 * Puts `section` between the bench markers of docs/benchmarks.md, keeping everything else (e.g. the fan-out
 * section that `npm run bench:fanout` appends) untouched. A file without markers gets the section after its title.
 */
export async function writeSection(file: string, section: string): Promise<void> {
  let existing = '';
  try {
    existing = await readFile(file, 'utf8');
  } catch {
    // first run on this checkout
  }
  const block = `${SECTION_START}\n${section.trim()}\n${SECTION_END}`;
  let next: string;
  const start = existing.indexOf(SECTION_START.slice(0, 22));
  const end = existing.indexOf(SECTION_END);
  if (start >= 0 && end > start) {
    next = existing.slice(0, start) + block + existing.slice(end + SECTION_END.length);
  } else if (existing.startsWith('# ')) {
    const titleEnd = existing.indexOf('\n') + 1 || existing.length;
    next = `${existing.slice(0, titleEnd)}\n${block}\n${existing.slice(titleEnd)}`;
  } else {
    next = `# Benchmarks\n\n${block}\n${existing ? `\n${existing}` : ''}`;
  }
  await writeFile(file, next.endsWith('\n') ? next : `${next}\n`);
}

export interface Row {
  path: string;
  /** Our rate (per second) with p50/p99 in ms. */
  /** cpuMs: server CPU (user + system, all its processes) per operation. */
  ours: { perSecond?: number; p50Ms?: number; p99Ms?: number; cpuMs?: number; note?: string };
  baseline: { name: string; perSecond?: number; p50Ms?: number; p99Ms?: number; cpuMs?: number };
  ratio: number | null;
  target: string;
  /** Whether the target is met (null: no target or not measured). */
  met: boolean | null;
  /** 1-minute load average when this row's runs started. */
  load: number;
}

const num = (n: number | undefined, digits = 0) =>
  n === undefined || !Number.isFinite(n) ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: digits });
const ms = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? 'n/a' : n < 10 ? num(n, 1) : num(n));

export function markdownTable(rows: Row[]): string {
  const lines = [
    '| path | ours /s | p50 / p99 ms | raw baseline | baseline /s | p50 / p99 ms | ratio | target | met | CPU ms/op ours / baseline | load |',
    '|---|---:|---:|---|---:|---:|---:|---|:---:|---:|---:|',
    ...rows
      .map((r) =>
        [
          r.path,
          `${r.ours.perSecond === undefined ? '—' : num(r.ours.perSecond)}${r.ours.note ? ` (${r.ours.note})` : ''}`,
          r.ours.p50Ms === undefined ? '—' : `${ms(r.ours.p50Ms)} / ${ms(r.ours.p99Ms)}`,
          r.baseline.name,
          r.baseline.perSecond === undefined ? '—' : num(r.baseline.perSecond),
          r.baseline.p50Ms === undefined ? '—' : `${ms(r.baseline.p50Ms)} / ${ms(r.baseline.p99Ms)}`,
          r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`,
          r.target,
          r.met === null ? '—' : r.met ? 'yes' : '**no**',
          r.ours.cpuMs === undefined ? '—' : `${r.ours.cpuMs.toFixed(2)} / ${r.baseline.cpuMs?.toFixed(2) ?? '—'}`,
          r.load.toFixed(1),
        ].join(' | '),
      )
      .map((l) => `| ${l} |`),
  ];
  return lines.join('\n');
}
