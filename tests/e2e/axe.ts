import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Result } from 'axe-core';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa'];

/** One violation, short enough to read in a failure message. */
export interface Finding {
  state: string;
  rule: string;
  impact: string | null | undefined;
  nodes: string[];
}

/**
 * axe-core's WCAG 2.1 A/AA violations on the page as it is now, named after `state`. Runs inside the page
 * (evaluated through the debugger protocol, so no page CSP can refuse it).
 */
export async function audit(page: Page, state: string): Promise<Finding[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(
    async (tags) =>
      (
        await (window as unknown as { axe: typeof import('axe-core') }).axe.run(document, {
          runOnly: { type: 'tag', values: tags },
        })
      ).violations,
    TAGS,
  );
  return violations.map((v: Result) => ({
    state,
    rule: v.id,
    impact: v.impact,
    nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ') ?? ''}`),
  }));
}
