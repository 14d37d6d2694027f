/**
 * A customer analysis run on the hand-built branch (fixture.ts; expected classes, tiers and stages worked
 * out in scores.test.ts): what it records, what it writes, and that a cancelled run leaves nothing and a
 * failed one is recorded as failed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { standaloneJobContext } from '../../../electron/engine/context';
import type { Db } from '../../../electron/engine/db/workspace';
import { latestRuns } from '../../../electron/engine/customers/latest-runs';
import { analysisOverview, analysisRuns } from '../../../electron/engine/analytics/overview';
import { runAnalysis } from '../../../electron/engine/analytics/run-analysis';
import { readSettings, writeSettings } from '../../../electron/engine/settings-store';
import { FEATURE_KEYS } from '../../../shared/analytics';
import { tempDir } from '../../support/temp';
import { buildFixture } from './fixture';

const dir = tempDir();
let db: Db;
let n = 0;
beforeEach(() => {
  db = buildFixture(dir, `run-${++n}.bpw`).db;
});
afterEach(() => db.close());

const count = (sql: string, ...params: unknown[]) => (db.prepare(sql).get(...params) as { n: number }).n;
const rowsOf = (table: string) => count(`SELECT count(*) AS n FROM ${table}`);

describe('runAnalysis', () => {
  it('records the settings it used, writes one feature and one score row per customer, and counts', async () => {
    writeSettings(db, { lifecycle: { ...readSettings(db).lifecycle, growthPct: 30 } });
    const phases = new Set<string>();
    const summary = await runAnalysis(standaloneJobContext(db, { onProgress: (phase) => phases.add(phase) }), {});

    expect(summary.asOf).toBe('2026-06-30');
    expect(summary.customers).toBe(10);
    expect(summary.settings).toEqual(readSettings(db));
    expect(summary.counts.valueTier).toEqual({ mass: 4, affluent: 4, wealth: 1, private: 1, no_record: 0 });
    // Each measure split at its own mean (scores.test.ts works the classes out).
    expect(summary.counts.rfmClass).toEqual({
      important_value: 1,
      important_develop: 0,
      important_retain: 0,
      important_winback: 0,
      general_value: 3,
      general_develop: 3,
      general_retain: 0,
      general_winback: 3,
    });
    expect(summary.rfmCuts).toMatchObject({ split: 'raw_mean', f: { value: 11.7 } });
    // growthPct 30: C02 (+26.7%) is mature rather than growing.
    expect(summary.counts.lifecycle).toEqual({ new: 1, growing: 0, mature: 3, declining: 2, dormant: 2, churned: 2 });
    // Customers per tag id: empty until the tags step is wired in, then every count is within the branch.
    for (const count of Object.values(summary.counts.tags)) expect(count >= 0 && count <= 10).toBe(true);
    expect([...phases]).toEqual(expect.arrayContaining(['计算客户特征', '计算RFM', '价值分层', '生命周期', '保存结果', '标签']));
    for (const key of ['features', 'rfm', 'tiers', 'lifecycle', 'write', 'tags', 'total']) expect(summary.timings[key]).toBeGreaterThanOrEqual(0);

    const run = db.prepare('SELECT * FROM analysis_runs WHERE run_id = ?').get(summary.runId) as Record<string, string>;
    expect(run.kind).toBe('customer_analysis');
    expect(run.status).toBe('succeeded');
    expect(run.as_of).toBe('2026-06-30');
    const params = JSON.parse(run.params_json) as { asOf: string; settings: { lifecycle: { growthPct: number } } };
    expect(params.asOf).toBe('2026-06-30');
    expect(params.settings).toEqual(readSettings(db));
    expect(params.settings.lifecycle.growthPct).toBe(30);
    expect(JSON.parse(run.metrics_json).counts).toEqual(summary.counts);
    expect(JSON.parse(run.timings_json)).toEqual(summary.timings);

    expect(count('SELECT count(*) AS n FROM customer_scores WHERE run_id = ?', summary.runId)).toBe(10);
    expect(count('SELECT count(DISTINCT customer_id) AS n FROM customer_scores WHERE run_id = ?', summary.runId)).toBe(10);
    expect(count('SELECT count(*) AS n FROM customer_scores WHERE run_id = ? AND (rfm_class IS NULL OR value_tier IS NULL OR lifecycle_stage IS NULL OR rfm_r IS NULL)', summary.runId)).toBe(0);
    expect(count('SELECT count(*) AS n FROM customer_features WHERE run_id = ? AND as_of = ?', summary.runId, '2026-06-30')).toBe(10);
    const c02 = db.prepare("SELECT s.*, f.aum_avg_3m, f.days_since_last_active_txn FROM customer_scores s JOIN customer_features f USING (run_id, customer_id) WHERE s.run_id = ? AND s.customer_id = 'C02'").get(summary.runId);
    expect(c02).toMatchObject({ rfm_r: 5, rfm_f: 2, rfm_m: 5, rfm_class: 'general_develop', value_tier: 'wealth', lifecycle_stage: 'mature', days_since_last_active_txn: 2 });
    // Missing features are stored as NULL.
    expect(db.prepare("SELECT days_since_last_active_txn AS d FROM customer_features WHERE run_id = ? AND customer_id = 'C09'").get(summary.runId)).toEqual({ d: null });
    expect(Object.keys(db.prepare('SELECT * FROM customer_features LIMIT 1').get() as object)).toEqual(['run_id', 'customer_id', 'as_of', ...FEATURE_KEYS]);

    const audit = db.prepare("SELECT params_json, row_count FROM audit_log WHERE action = 'analysis.run'").all() as { params_json: string; row_count: number }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]!.row_count).toBe(10);
    expect(JSON.parse(audit[0]!.params_json)).toMatchObject({ runId: summary.runId, asOf: '2026-06-30' });

    // The customer screens now read this run.
    expect(latestRuns(db)).toMatchObject({ featureRunId: summary.runId, scoreRunId: summary.runId, scoreAsOf: '2026-06-30' });
  });

  it('analyses as of a requested month and refuses one after the data', async () => {
    const summary = await runAnalysis(standaloneJobContext(db), { asOf: '2026-03' });
    expect(summary.asOf).toBe('2026-03-31');
    expect(summary.customers).toBe(10); // C08 opened on 2026-03-15
    await expect(runAnalysis(standaloneJobContext(db), { asOf: '2026-09' })).rejects.toThrow(/所选月份 2026-09 晚于月日均资产数据的最新月份 2026-06，请选择 2026-06 或更早的月份/);
    await expect(runAnalysis(standaloneJobContext(db), { asOf: '2009-12' })).rejects.toThrow(/截至 2009-12-31 还没有已开户的客户/);
    expect(rowsOf('analysis_runs')).toBe(1);
  });

  it.each(['计算客户特征', '计算RFM', '保存结果', '标签'])('leaves no rows and no run when cancelled during %s', async (phase) => {
    const before = { runs: rowsOf('analysis_runs'), audit: rowsOf('audit_log') };
    const controller = new AbortController();
    const ctx = standaloneJobContext(db, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p === phase) controller.abort();
      },
    });
    await expect(runAnalysis(ctx, {})).rejects.toMatchObject({ code: 'cancelled' });
    expect(rowsOf('analysis_runs')).toBe(before.runs);
    expect(rowsOf('customer_features')).toBe(0);
    expect(rowsOf('customer_scores')).toBe(0);
    expect(rowsOf('audit_log')).toBe(before.audit);
    expect(db.inTransaction).toBe(false);
    // The workspace is fine for the next run.
    await runAnalysis(standaloneJobContext(db), {});
    expect(rowsOf('customer_scores')).toBe(10);
  });

  it('records a failed run as failed, with no rows', async () => {
    db.exec("CREATE TEMP TRIGGER fail_scores BEFORE INSERT ON customer_scores BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
    await expect(runAnalysis(standaloneJobContext(db), {})).rejects.toThrow(/disk says no/);
    const runs = db.prepare('SELECT status, metrics_json, finished_at FROM analysis_runs').all() as { status: string; metrics_json: string; finished_at: string | null }[];
    expect(runs).toHaveLength(1);
    expect(runs[0]!.status).toBe('failed');
    expect(runs[0]!.finished_at).not.toBeNull();
    expect(JSON.parse(runs[0]!.metrics_json).error).toMatch(/disk says no/);
    expect(rowsOf('customer_features')).toBe(0);
    expect(latestRuns(db).scoreRunId).toBeNull();
    expect(analysisOverview(db)).toBeNull();
  });

  it('refuses tier thresholds that do not rise, before recording a run', async () => {
    writeSettings(db, { tiers: { affluent: 600_000, wealth: 500_000, private: 6_000_000 } });
    await expect(runAnalysis(standaloneJobContext(db), {})).rejects.toThrow(/金卡 < 财富 < 私行/);
    expect(rowsOf('analysis_runs')).toBe(0);
  });
});

describe('analysis overview', () => {
  it('is null before any run, then summarises the latest run for the tiers and RFM screens', async () => {
    expect(analysisOverview(db)).toBeNull();
    await runAnalysis(standaloneJobContext(db), { asOf: '2026-05' });
    const { runId } = await runAnalysis(standaloneJobContext(db), {});
    const overview = analysisOverview(db)!;
    expect(overview.run).toMatchObject({ runId, kind: 'customer_analysis', status: 'succeeded', asOf: '2026-06-30' });
    expect(overview.run.params).toHaveProperty('settings');

    const tier = Object.fromEntries(overview.tiers.map((t) => [t.tier, t]));
    expect(Object.keys(tier)).toEqual(['mass', 'affluent', 'wealth', 'private', 'no_record']);
    expect(tier.no_record).toMatchObject({ customers: 0, aum: 0 });
    expect(tier.private).toMatchObject({ customers: 1, aum: 8_000_000 });
    expect(tier.mass).toMatchObject({ customers: 4, aum: 20_000 + 0 + 500 + 5_000 });
    expect(tier.affluent!.aum).toBe(150_000 + 300_000 + 60_000 + 50_000);
    const total = overview.tiers.reduce((s, t) => s + t.aum, 0);
    expect(tier.private!.aumShare).toBeCloseTo(8_000_000 / total, 12);
    expect(overview.tiers.reduce((s, t) => s + t.aumShare, 0)).toBeCloseTo(1, 12);

    expect(overview.rfm.classes).toHaveLength(8);
    const winback = overview.rfm.classes.find((c) => c.rfmClass === 'general_winback')!;
    expect(winback).toMatchObject({ customers: 3, aum: 300_000 + 0 + 5_000 });
    expect(overview.rfm.cuts).toMatchObject({ split: 'raw_mean', monetary: 'aum_avg_3m', frequencyMonths: 12, f: { value: 11.7, boundary: 12, high: 4 } });
    expect(winback.action).toMatch(/短信/);
    expect(overview.rfm.heatmap.reduce((s, c) => s + c.customers, 0)).toBe(10);
    // R 5 × F 5 holds C01 alone (M 5); R 1 × F 1 holds C09 (M 2).
    expect(overview.rfm.heatmap.find((c) => c.r === 5 && c.f === 5)).toEqual({ r: 5, f: 5, customers: 1, meanM: 5 });
    expect(overview.rfm.heatmap.find((c) => c.r === 1 && c.f === 1)).toEqual({ r: 1, f: 1, customers: 1, meanM: 2 });

    expect(Object.fromEntries(overview.lifecycle.map((l) => [l.stage, l.customers]))).toEqual({ new: 1, growing: 1, mature: 2, declining: 2, dormant: 2, churned: 2 });

    expect(analysisRuns(db).map((r) => r.runId)).toEqual([runId, runId - 1]);
    expect(analysisOverview(db, runId - 1)!.run.asOf).toBe('2026-05-31');
    expect(() => analysisOverview(db, 999)).toThrow(/找不到编号为 999 的分析记录/);
  });
});
