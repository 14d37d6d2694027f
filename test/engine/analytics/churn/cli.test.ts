/**
 * The churn and forest commands as an analyst runs them: a separate process, Chinese lines on stderr, one
 * JSON object as the last line of stdout, exit codes 0 / 2 / 1.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATASETS, tempDir } from '../../../support/temp';
import { runCli } from '../../../support/run-cli';

const bankFile = fileURLToPath(new URL('uci-bank-marketing/bank-full.csv', DATASETS));


describe('forest evaluate', () => {
  it('reaches ROC AUC ≥ 0.78 on the UCI bank marketing file without duration, on a 20% stratified hold-out', async () => {
    const run = await runCli(['forest', 'evaluate', '--file', bankFile, '--target', 'y', '--exclude', 'duration', '--test-share', '0.2']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json).toMatchObject({ ok: true, rows: 45_211, test_rows: 9_042, positive_label: 'yes' });
    expect(run.json.roc_auc).toBeGreaterThanOrEqual(0.78);
    expect(run.json.pr_auc).toBeGreaterThan(0.3);
    expect(run.json.train_s).toBeGreaterThan(0);
    // One-hot encoding by default: each job becomes its own 0/1 feature.
    expect(run.json.features).toBeGreaterThan(40);
    expect(run.stderr).toContain('检验集');
  });

  it('rejects a column that is not in the file with exit code 2 and says which columns exist', async () => {
    const run = await runCli(['forest', 'evaluate', '--file', bankFile, '--target', 'churned']);
    expect(run.code).toBe(2);
    expect(run.json).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(String((run.json.error as { message: string }).message)).toContain('poutcome');
  });
});

describe('churn train and score', () => {
  const dir = tempDir('bpw-churn-cli-');
  const workspace = join(dir, 'cli.bpw');

  beforeAll(async () => {
    // The demo comes analysed: features, scores and tags, a churn model, every customer scored.
    const demo = await runCli(['demo', '--out', workspace, '--customers', '2000', '--seed', '11']);
    expect(demo.code, demo.stderr).toBe(0);
    const tables = demo.json.tables as Record<string, number>;
    expect(tables).toMatchObject({ customers: 2000, customer_features: 2000, customer_scores: 2000 });
    // The churn model first; product matching's models follow it.
    expect(tables.models).toBeGreaterThan(1);
    expect(tables.customer_tags).toBeGreaterThan(2000);
    expect(demo.json.analysis).toMatchObject({ churnModel: { modelId: 1 } });
    const scored = new Database(workspace, { readonly: true });
    // Every customer not already 流失 or 沉睡 is scored; those are not.
    expect(scored.prepare("SELECT count(*) AS n FROM customer_scores WHERE churn_prob IS NOT NULL OR lifecycle_stage IN ('churned', 'dormant')").get()).toEqual({ n: 2000 });
    expect(scored.prepare("SELECT count(*) AS n FROM customer_scores WHERE churn_prob IS NOT NULL AND lifecycle_stage IN ('churned', 'dormant')").get()).toEqual({ n: 0 });
    scored.close();
  });

  it('trains, prints the model card and scores per risk band', async () => {
    const train = await runCli(['churn', 'train', '--workspace', workspace, '--trees', '40', '--seed', '3']);
    expect(train.code, train.stderr).toBe(0);
    expect(train.json).toMatchObject({ ok: true, horizon_months: 3 });
    expect(train.json.model_id).toBeGreaterThan(0);
    for (const key of ['roc_auc', 'pr_auc', 'lift_top_decile', 'brier', 'best_f1_threshold', 'high_band', 'test_churners', 'train_s']) expect(typeof train.json[key], key).toBe('number');
    expect(train.json.lift).toHaveLength(10);
    // One threshold: the confusion counts are those at the settings' 流失风险 高 cut-off, in percent on screen.
    expect(train.json).toMatchObject({ high_band: 0.5, confusion: { threshold: 0.5 } });
    expect(train.json.verdict).toMatch(/^按流失概率排序，名单前10%覆盖\d+(\.\d)?%的流失客户；检验样本/);
    expect(train.stderr).toContain('高风险门槛 50%');
    expect(train.stderr).toContain('ROC AUC');

    const score = await runCli(['churn', 'score', '--workspace', workspace, '--model', String(train.json.model_id)]);
    expect(score.code, score.stderr).toBe(0);
    const counts = score.json.counts as Record<string, number>;
    expect(Object.keys(counts).sort()).toEqual(['high', 'low', 'medium']);
    // The population trained for: customers not already 流失 or 沉睡; those are counted apart.
    const excluded = score.json.excluded as Record<string, number>;
    expect(counts.high! + counts.medium! + counts.low!).toBe(score.json.scored);
    expect(excluded.churned! + excluded.dormant!).toBe(excluded.total);
    expect((score.json.scored as number) + excluded.total!).toBe(2000);
    expect(excluded.total).toBeGreaterThan(50);
    expect(score.stderr).toContain('流失风险高（≥ 50%）：');
    expect(score.stderr).toContain('已流失或沉睡');
  });

  it('asks for a model that exists', async () => {
    const run = await runCli(['churn', 'score', '--workspace', workspace, '--model', '999']);
    expect(run.code).toBe(2);
    expect(run.json).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
