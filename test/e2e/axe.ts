/**
 * Accessibility checks with axe-core inside the page under test (issue #14): WCAG 2 A and AA rules, so
 * contrast, labels, names and roles. axe is evaluated through the DevTools protocol, like Playwright's own
 * evaluate, so the app's CSP (script-src 'self') needs no exception.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { AxeResults, Result } from 'axe-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string; html: string; summary: string }[];
}

/** Runs axe over the page (or a part of it) and returns the violations of at least `minImpact`. */
export async function axeViolations(page: Page, options: { include?: string; minImpact?: 'serious' | 'critical' } = {}): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const results = (await page.evaluate(
    async ({ include }) => {
      const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<unknown> } }).axe;
      return axe.run(include ? { include: [include] } : document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        resultTypes: ['violations'],
      });
    },
    { include: options.include ?? null },
  )) as AxeResults;
  const levels = options.minImpact === 'critical' ? ['critical'] : ['serious', 'critical'];
  return results.violations
    .filter((v: Result) => levels.includes(v.impact ?? ''))
    .map((v: Result) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 200), summary: (n.failureSummary ?? '').slice(0, 300) })),
    }));
}
