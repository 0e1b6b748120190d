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
  ours: string;
  baseline: string;
  ratio: number | null;
  target: string;
  /** Whether the target is met (null: no target or not measured). */
  met: boolean | null;
}

export function markdownTable(rows: Row[]): string {
  const lines = [
    '| path | ours | raw baseline | ratio | target | met |',
    '|---|---:|---:|---:|---|:---:|',
    ...rows.map(
      (r) =>
        `| ${r.path} | ${r.ours} | ${r.baseline} | ${r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`} | ${r.target} | ${r.met === null ? '—' : r.met ? 'yes' : '**no**'} |`,
    ),
  ];
  return lines.join('\n');
}
