/**
 * `community rank` and `community plan` as an analyst runs them (one run as a separate process, the others in
 * this process to keep the file fast): on a demo branch that has not been analysed yet (the measures that
 * need an analysis say “无数据” and audiences drop the tag conditions, saying so) and on the public Berka
 * data, whose districts are the communities and which has no households, no balances and no contacts.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communityCli } from '../../../electron/cli/community-commands';
import { CliOutput } from '../../../electron/cli/output';
import { EngineHost } from '../../../electron/engine/host';
import { DEFAULT_ACTIVITY_RULES } from '../../../shared/community-rules';
import { DATASETS, tempDir } from '../../support/temp';
import { runCli } from '../../support/run-cli';

const dir = tempDir('bpw-community-cli-');
const demo = join(dir, 'demo.bpw');
const berka = join(dir, 'berka.bpw');

/** The Berka folder: beside the repository (DATASETS), or beside the folder of worktrees a checkout sits in. */
function berkaDir(): string {
  let folder = fileURLToPath(new URL('berka-pkdd99/', DATASETS));
  for (let up = dirname(fileURLToPath(DATASETS)); !existsSync(folder) && dirname(up) !== up; up = dirname(up)) folder = join(dirname(up), 'shared', 'datasets', 'berka-pkdd99');
  return folder;
}


type Community = { community_id: string; households: number | null; customers: number; penetration: number | null; aum_per_household: number | null; opportunity_score: number; missing: string[]; suggestions: { kind: string; rule_id: string; rule: unknown; target_size: number | null; audience_note: string | null; reason: string }[] };

/** Runs a community command in this process, with the output captured instead of printed. */
class Captured extends CliOutput {
  lines: string[] = [];
  result: Record<string, unknown> = {};
  constructor() {
    super(true);
  }
  override say(line = ''): void {
    this.lines.push(line);
  }
  override progress(): (phase: string, done: number, total: number) => void {
    return () => undefined;
  }
  override finish(result: Record<string, unknown>): number {
    this.result = result;
    return 0;
  }
}

let host: EngineHost;

async function runInProcess(args: string[]): Promise<{ code: number; json: Record<string, unknown>; text: string }> {
  const { values, positionals } = parseArgs({ args, options: { ...communityCli.options, workspace: { type: 'string' } }, allowPositionals: true, strict: true });
  const out = new Captured();
  const code = await communityCli.commands.community!(host, { values, positionals: positionals.slice(1) }, out);
  return { code, json: out.result, text: out.lines.join('\n') };
}

beforeAll(async () => {
  host = new EngineHost({ log: () => {} });
  await host.runJob('demo.create', { path: demo, customers: 1_000, txPerYear: 20, analyze: false });
  await host.call('workspace.create', { path: berka });
  await host.runJob('import.recipe', { recipe: 'berka', dir: berkaDir() });
});

afterAll(async () => {
  await host?.close();
});

describe('community CLI on a demo branch', () => {
  it('ranks every community with its components and suggestions, saying what lacks an analysis', async () => {
    const run = await runInProcess(['community', 'rank', '--workspace', demo, '--month', '2026-10']);
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({ ok: true, month: '2026-10', as_of: '2026-10-31' });
    expect(run.json.notes).toEqual(expect.arrayContaining([expect.stringContaining('尚未运行客户分析')]));
    const communities = run.json.communities as Community[];
    expect(communities).toHaveLength(12);
    for (const c of communities) {
      expect(c.households).toBeGreaterThan(0);
      expect(c.penetration).toBeCloseTo(c.customers / (c.households as number), 10);
      expect(c.aum_per_household).toBeGreaterThan(0);
      expect(typeof c.opportunity_score).toBe('number');
      // No churn scores yet: the deduction is missing, the rest is there.
      expect(c.missing).toEqual(['流失扣减']);
    }
    // Without tags, audiences drop their “does not hold X yet” conditions and say so.
    const withTags = new Set(DEFAULT_ACTIVITY_RULES.filter((r) => JSON.stringify(r.audience).includes('has_tag')).map((r) => r.id));
    const suggestions = communities.flatMap((c) => c.suggestions);
    expect(suggestions.some((s) => withTags.has(s.rule_id))).toBe(true);
    for (const s of suggestions) {
      expect(JSON.stringify(s.rule)).not.toContain('has_tag');
      if (withTags.has(s.rule_id)) expect(s.audience_note).toContain('标签');
    }
    expect(run.text).toContain('机会值');
  });

  it('plans a month and saves it, and rejects a malformed month', async () => {
    const run = await runInProcess(['community', 'plan', '--workspace', demo, '--month', '2026-12', '--save']);
    expect(run.code).toBe(0);
    const activities = run.json.activities as { community_id: string; kind: string; date: string; manager_id: string; target_size: number; reason: string; activity_id: number }[];
    expect(activities.length).toBeGreaterThan(0);
    for (const a of activities) {
      expect(a.date.startsWith('2026-12')).toBe(true);
      expect(a.manager_id).toMatch(/^RM\d{3}$/);
      expect(a.target_size).toBeGreaterThanOrEqual(0);
      expect(a.reason.length).toBeGreaterThan(10);
      expect(a.activity_id).toBeGreaterThan(0);
    }
    expect(run.json.saved).toBe(true);
    await expect(runInProcess(['community', 'plan', '--workspace', demo, '--month', '2026-13'])).rejects.toMatchObject({ code: 'bad_input' });
  });
});

describe('community CLI on Berka', () => {
  it('ranks the 77 districts on what the data has, with 无数据 for the rest, as a separate process', async () => {
    const run = await runCli(['community', 'rank', '--workspace', berka]);
    expect(run.code, run.stderr).toBe(0);
    const communities = run.json.communities as Community[];
    expect(communities).toHaveLength(77);
    expect(run.json.notes).toEqual(expect.arrayContaining([expect.stringContaining('没有户数'), expect.stringContaining('没有月日均资产')]));
    for (const c of communities) {
      expect(c.households).toBeNull();
      expect(c.penetration).toBeNull();
      expect(c.missing).toContain('拓户机会');
    }
    // Loans are what Berka has: the product gaps rank the districts.
    expect(communities[0]!.opportunity_score).toBeGreaterThan(0);
    expect(communities.reduce((s, c) => s + c.customers, 0)).toBe(5_369);
    expect(run.stderr).toContain('无数据');
  });

  it('plans a month on Berka, where districts have no manager, and says so', async () => {
    const run = await runInProcess(['community', 'plan', '--workspace', berka, '--month', '1999-01']);
    expect(run.code).toBe(0);
    const skipped = run.json.skipped as { reason: string }[];
    expect(run.json.activities).toEqual([]);
    expect(skipped.length).toBe(77);
    expect(skipped.some((s) => s.reason.includes('没有负责的客户经理'))).toBe(true);
  });
});
