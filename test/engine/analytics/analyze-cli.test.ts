/**
 * `npm run cli -- analyze`: a real child process on a small demo workspace. With --json the last line of
 * stdout is the documented summary; a missing workspace is rejected input (exit 2).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { LIFECYCLE_STAGES, RFM_CLASSES, TIER_CODES } from '../../../shared/analytics';
import { EngineHost } from '../../../electron/engine/host';
import { tempDir } from '../../support/temp';

const cli = fileURLToPath(new URL('../../../electron/cli.ts', import.meta.url));
const dir = tempDir();
const workspace = join(dir, 'small.bpw');

const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8', timeout: 120_000 });
const lastLine = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;

beforeAll(async () => {
  const host = new EngineHost({ log: () => {} });
  try {
    await host.runJob('demo.create', { path: workspace, customers: 1000, txPerYear: 12, analyze: false });
  } finally {
    await host.close();
  }
});

describe('analyze command', () => {
  it('prints a parseable summary as the last line and exits 0', () => {
    const result = run('analyze', '--workspace', workspace, '--json');
    expect(result.status, result.stderr).toBe(0);
    const summary = lastLine(result.stdout) as {
      ok: boolean;
      runId: number;
      asOf: string;
      customers: number;
      counts: { rfmClass: Record<string, number>; valueTier: Record<string, number>; lifecycle: Record<string, number>; tags: Record<string, number> };
      timings: Record<string, number>;
    };
    expect(summary.ok).toBe(true);
    expect(summary.runId).toBeGreaterThan(0);
    expect(summary.asOf).toBe('2026-10-31');
    expect(summary.customers).toBe(1000);
    expect(Object.keys(summary.counts.rfmClass)).toEqual([...RFM_CLASSES]);
    expect(Object.keys(summary.counts.valueTier)).toEqual([...TIER_CODES]);
    expect(Object.keys(summary.counts.lifecycle)).toEqual([...LIFECYCLE_STAGES]);
    expect(summary.counts.tags).toBeTypeOf('object');
    expect(Object.values(summary.counts.valueTier).reduce((a, b) => a + b, 0)).toBe(1000);
    for (const phase of ['features', 'rfm', 'tiers', 'lifecycle', 'tags', 'total']) expect(summary.timings[phase]).toBeTypeOf('number');
    // The human summary goes to stderr with --json, in Chinese.
    expect(result.stderr).toMatch(/分析完成/);
    expect(result.stderr).toMatch(/价值分层/);
  });

  it('analyses as of a given month', () => {
    const result = run('analyze', '--workspace', workspace, '--as-of', '2026-06', '--json');
    expect(result.status, result.stderr).toBe(0);
    expect(lastLine(result.stdout)).toMatchObject({ ok: true, asOf: '2026-06-30' });
  });

  it('rejects a missing workspace and a malformed month with exit code 2', () => {
    const missing = run('analyze', '--workspace', join(dir, 'nope.bpw'), '--json');
    expect(missing.status).toBe(2);
    expect(lastLine(missing.stdout)).toMatchObject({ ok: false, error: { code: 'workspace_not_found' } });
    const month = run('analyze', '--workspace', workspace, '--as-of', '2026-6', '--json');
    expect(month.status).toBe(2);
    expect(lastLine(month.stdout)).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });
});
