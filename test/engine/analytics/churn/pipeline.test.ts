/**
 * The churn pipeline end to end on a 3,000-customer demo branch, through the EngineHost as the app and the
 * CLI use it: train (time-honest labels, hold-out card), score (one probability per customer not already
 * lost, reasons worded as risks for the 中/高 bands), the warning list and the explanation; a model trained
 * in one host scores in another; a cancelled training leaves nothing behind.
 */
import { join } from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChurnExplanation, ChurnScoreSummary, ModelCard } from '../../../../shared/analytics';
import type { JobFinished } from '../../../../shared/api';
import { TRAINING_FEATURE_KEYS } from '../../../../electron/engine/analytics/features/latest-value';
import { EngineHost } from '../../../../electron/engine/host';
import { tempDir } from '../../../support/temp';
import { readDb as readFromFile } from './read-db';
import { DEFAULT_SETTINGS } from '../../../../shared/settings';
import { isSpecificRisk } from './specific';

const dir = tempDir('bpw-churn-');
const path = join(dir, 'churn.bpw');
let host: EngineHost;
let card: ModelCard;
let summary: ChurnScoreSummary;

beforeAll(async () => {
  host = new EngineHost({ log: () => {} });
  await host.runJob('demo.create', { path, customers: 3_000, seed: 20240601, txPerYear: 60, analyze: false });
  await host.call('workspace.open', { path });
  await host.runJob('analysis.run', {});
  card = await host.runJob('churn.train', { trees: 120 });
  summary = await host.runJob('churn.score', {});
});

afterAll(async () => {
  await host.close();
});

const readDb = <T>(read: (db: Database.Database) => T): T => readFromFile(path, read);

function finished(jobId: string): Promise<JobFinished> {
  return new Promise((resolve) => {
    const stop = host.onEvent((event, payload) => {
      if (event === 'job.finished' && (payload as JobFinished).jobId === jobId) {
        stop();
        resolve(payload as JobFinished);
      }
    });
  });
}

describe('training', () => {
  it('learns the demo’s decay signal and evaluates on held-out customers', () => {
    expect(card.horizonMonths).toBe(3);
    expect(card.featuresAsOf < card.labelTo).toBe(true);
    expect(card.samples.test / (card.samples.train + card.samples.test)).toBeCloseTo(0.2, 2);
    expect(card.samples.positives).toBeGreaterThan(20);
    expect(card.params).toMatchObject({ trees: 120, classWeight: null, seed: 1 });
    expect(card.metrics.rocAuc).toBeGreaterThan(0.6);
    expect(card.metrics.prAuc).toBeGreaterThan(card.samples.churnRate);
    expect(card.metrics.liftTopDecile).toBeGreaterThan(1);
    expect(card.lift).toHaveLength(10);
    expect(card.lift[9]!.captureRate).toBe(1);
    expect(card.roc.length).toBeLessThanOrEqual(200);
    expect(card.calibration.length).toBeGreaterThan(1);
    expect(card.laterPeriod).not.toBeNull();
    expect(card.laterPeriod!.rocAuc).toBeGreaterThan(0.6);
    expect(card.trainSeconds).toBeGreaterThan(0);
  });

  it('has confusion counts on thresholds 0.00..1.00, monotone, defaulting to the best F1', () => {
    expect(card.thresholds).toHaveLength(101);
    for (let k = 1; k < card.thresholds.length; k++) {
      const [prev, row] = [card.thresholds[k - 1]!, card.thresholds[k]!];
      expect(row.threshold).toBeGreaterThan(prev.threshold);
      expect(row.tp).toBeLessThanOrEqual(prev.tp);
      expect(row.fp).toBeLessThanOrEqual(prev.fp);
      expect(row.tp + row.fp + row.tn + row.fn).toBe(card.samples.test);
    }
    const best = Math.max(...card.thresholds.map((t) => t.f1));
    expect(card.thresholds.find((t) => t.threshold === card.defaultThreshold)!.f1).toBe(best);
  });

  it('ranks every feature with its Chinese label', () => {
    // Every training feature: those of latest-value fields (months_since_risk_assessment) are not.
    expect(card.featureImportance.map((f) => f.feature).sort()).toEqual([...TRAINING_FEATURE_KEYS].sort());
    expect(card.featureImportance.every((f) => f.label !== f.feature && /[\u4e00-\u9fa5]/.test(f.label))).toBe(true);
    const total = card.featureImportance.reduce((s, f) => s + f.importance, 0);
    expect(total).toBeCloseTo(1, 3);
  });

  it('stores the model, a training run and an audit entry', async () => {
    const stored = readDb((db) => ({
      models: db.prepare("SELECT model_id, kind, run_id FROM models WHERE kind = 'churn_forest'").all() as { model_id: number; run_id: number }[],
      run: db.prepare("SELECT kind, status, as_of FROM analysis_runs WHERE kind = 'churn_training'").get(),
      audit: db.prepare("SELECT params_json FROM audit_log WHERE action = 'model.train'").all() as { params_json: string }[],
    }));
    expect(stored.models).toHaveLength(1);
    expect(stored.models[0]!.model_id).toBe(card.modelId);
    expect(stored.run).toEqual({ kind: 'churn_training', status: 'succeeded', as_of: card.labelTo });
    expect(stored.audit).toHaveLength(1);
    expect(JSON.parse(stored.audit[0]!.params_json)).toMatchObject({ modelId: card.modelId, horizonMonths: 3 });
    expect(await host.call('churn.model', {})).toEqual(card);
    expect((await host.call('churn.models', {})).map((m) => m.modelId)).toEqual([card.modelId]);
  });
});

describe('scoring', () => {
  interface Scored {
    customer_id: string;
    churn_prob: number | null;
    churn_band: string | null;
    churn_drivers_json: string | null;
  }
  const scoredRows = () =>
    readDb((db) => {
      const runId = (db.prepare("SELECT max(run_id) AS id FROM analysis_runs WHERE kind = 'customer_analysis' AND status = 'succeeded'").get() as { id: number }).id;
      return {
        features: (db.prepare('SELECT count(*) AS n FROM customer_features WHERE run_id = ?').get(runId) as { n: number }).n,
        lost: (db.prepare("SELECT count(*) AS n FROM customer_scores WHERE run_id = ? AND lifecycle_stage IN ('churned', 'dormant')").get(runId) as { n: number }).n,
        rows: db.prepare('SELECT customer_id, churn_prob, churn_band, churn_drivers_json FROM customer_scores WHERE run_id = ? ORDER BY customer_id').all(runId) as Scored[],
      };
    });

  it('writes one probability per analysed customer not already lost, with the band of the settings', () => {
    const { features, lost, rows } = scoredRows();
    const scored = rows.filter((r) => r.churn_prob !== null);
    expect(lost).toBeGreaterThan(0);
    expect(scored).toHaveLength(features - lost);
    expect(summary.scored).toBe(features - lost);
    expect(summary.counts.high + summary.counts.medium + summary.counts.low).toBe(summary.scored);
    expect(summary.excluded.churned + summary.excluded.dormant).toBe(lost);
    for (const r of scored) {
      expect(r.churn_prob).toBeGreaterThanOrEqual(0);
      expect(r.churn_prob).toBeLessThanOrEqual(1);
      expect(r.churn_band).toBe(r.churn_prob! >= 0.5 ? 'high' : r.churn_prob! >= 0.2 ? 'medium' : 'low');
    }
    expect(summary.counts.high).toBeGreaterThan(0);
    expect(summary.aumAtRisk).toBeGreaterThan(0);
    expect(summary.expectedLoss).toBeGreaterThan(0);
  });

  it('puts the high-band customers under the 流失风险 tag at once', async () => {
    const tag = (await host.call('tags.list', {})).find((t) => t.tagId === 'sys.churn_risk');
    expect(tag?.customers).toBe(summary.counts.high);
  });

  it('gives the 中/高 customers up to 3 reasons that raise the risk meaningfully, each a risk with an action', () => {
    const { rows } = scoredRows();
    const minimum = DEFAULT_SETTINGS.churn.minReasonContribution;
    let highWithReasons = 0;
    for (const r of rows.filter((row) => row.churn_prob !== null)) {
      const stored = JSON.parse(r.churn_drivers_json!) as { v: number; modelId: number; reasons: { topic: string; contribution: number; text: string; action: string }[] };
      expect(stored).toMatchObject({ v: 2, modelId: card.modelId });
      expect(stored.reasons.length).toBeLessThanOrEqual(3);
      // No reasons at all for a customer at little risk (the audit's 0.00001 "reasons" at probability 0.00).
      if (r.churn_band === 'low') expect(stored.reasons).toEqual([]);
      for (const d of stored.reasons) {
        expect(d.contribution).toBeGreaterThanOrEqual(minimum - 1e-5);
        expect(d.topic).not.toBe('profile');
        expect(isSpecificRisk(d.text), `${r.customer_id} ${d.topic}: “${d.text}”`).toBe(true);
        expect(d.action).toMatch(/[\u4e00-\u9fa5]{4,}/);
      }
      if (r.churn_band === 'high' && stored.reasons.length > 0) highWithReasons++;
    }
    // A high-risk customer's probability comes from somewhere that reads as a risk.
    expect(highWithReasons).toBe(summary.counts.high);
  });

  it('lists the warning list by probability, page after page, with masked names and driver texts', async () => {
    const first = await host.call('churn.riskList', { limit: 50 });
    expect(first.total).toBe(summary.scored);
    expect(first.rows).toHaveLength(50);
    const second = await host.call('churn.riskList', { limit: 50, after: first.next! });
    const probs = [...first.rows, ...second.rows].map((r) => r.churn_prob);
    expect(probs).toEqual([...probs].sort((a, b) => b - a));
    expect(new Set([...first.rows, ...second.rows].map((r) => r.customer_id)).size).toBe(100);
    const top = first.rows[0]!;
    expect(top.churn_band).toBe('high');
    expect(top.reasons.length).toBeGreaterThan(0);
    expect(top.drivers).toEqual(top.reasons.map((r) => r.text));
    expect(top.expected_loss).toBeCloseTo(top.churn_prob * top.aum!, 1);
    expect(top.name).toMatch(/\*/);
    expect(top.aum).not.toBeNull();
  });

  it('filters the list with a rule over the catalog and sorts it by AUM', async () => {
    const high = await host.call('churn.riskList', { filter: { field: 'churn_band', op: '=', value: 'high' }, limit: 1000 });
    expect(high.total).toBe(summary.counts.high);
    expect(high.rows.every((r) => r.churn_band === 'high')).toBe(true);
    const rich = await host.call('churn.riskList', { filter: { all: [{ field: 'churn_band', op: '=', value: '高' }, { field: 'value_tier', op: 'in', value: ['affluent', 'wealth', 'private'] }] }, sort: { field: 'aum', direction: 'desc' }, limit: 20 });
    expect(rich.rows.every((r) => r.value_tier !== 'mass' && r.churn_band === 'high')).toBe(true);
    const aums = rich.rows.map((r) => r.aum ?? -1);
    expect(aums).toEqual([...aums].sort((a, b) => b - a));
    const bad = await host.invoke('churn.riskList', { filter: { field: 'no_such_field', op: '=', value: 1 } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });

  it('sorts the list by 预期流失资产 (probability × 3-month AUM), page after page', async () => {
    const first = await host.call('churn.riskList', { sort: { field: 'expected_loss', direction: 'desc' }, limit: 50 });
    const second = await host.call('churn.riskList', { sort: { field: 'expected_loss', direction: 'desc' }, limit: 50, after: first.next! });
    const losses = [...first.rows, ...second.rows].map((r) => r.expected_loss ?? -1);
    expect(losses).toEqual([...losses].sort((a, b) => b - a));
    expect(first.total).toBe(summary.scored);
    expect(first.rows[0]!.expected_loss).toBeGreaterThan(0);
  });

  it('explains a customer as a waterfall that adds up to the probability', async () => {
    const { rows } = await host.call('churn.riskList', { limit: 1 });
    const e = (await host.call('churn.explain', { customerId: rows[0]!.customer_id })) as ChurnExplanation;
    expect(e.modelId).toBe(card.modelId);
    expect(e.probability).toBe(rows[0]!.churn_prob);
    expect(e.reasons.map((d) => d.text)).toEqual(rows[0]!.drivers);
    expect(e.reasons.map((d) => d.action)).toEqual(rows[0]!.reasons.map((r) => r.action));
    for (const d of e.factors) {
      expect(Math.abs(d.contribution)).toBeGreaterThanOrEqual(DEFAULT_SETTINGS.churn.minReasonContribution - 1e-5);
      expect(d.label).toMatch(/[\u4e00-\u9fa5]/);
    }
    const total = e.bias + [...e.reasons, ...e.factors].reduce((s, d) => s + d.contribution, 0) + e.other;
    expect(Math.abs(total - e.probability)).toBeLessThan(1e-3);
    expect(await host.call('churn.explain', { customerId: 'NO-SUCH-CUSTOMER' })).toBeNull();
  });

  it('follows changed band settings when scoring again', async () => {
    await host.call('settings.set', { patch: { churn: { horizonMonths: 3, aumLossPct: 50, highBand: 0.3, mediumBand: 0.1 } } });
    const again = await host.runJob('churn.score', {});
    expect(again.counts.high).toBeGreaterThanOrEqual(summary.counts.high);
    const { rows } = await host.call('churn.riskList', { filter: { field: 'churn_prob', op: 'between', value: [0.3, 0.5] }, limit: 100 });
    expect(rows.every((r) => r.churn_band === 'high')).toBe(true);
    await host.call('settings.set', { patch: { churn: { horizonMonths: 3, aumLossPct: 50, highBand: 0.5, mediumBand: 0.2 } } });
  });
});

describe('the model in another session', () => {
  it('scores the same probabilities after the workspace is reopened in a new host', async () => {
    const probs = () => readDb((db) => db.prepare('SELECT churn_prob FROM customer_scores WHERE run_id = (SELECT max(run_id) FROM customer_features) ORDER BY customer_id').pluck().all() as number[]);
    await host.runJob('churn.score', { modelId: card.modelId });
    const before = probs();
    await host.call('workspace.close', {});
    const other = new EngineHost({ log: () => {} });
    try {
      await other.call('workspace.open', { path });
      const again = await other.runJob('churn.score', { modelId: card.modelId });
      expect(again.counts).toEqual(summary.counts);
      expect(probs()).toEqual(before);
    } finally {
      await other.close();
      await host.call('workspace.open', { path });
    }
  });
});

describe('cancelling a training', () => {
  it('stores no model, no run and no audit entry', async () => {
    const count = () =>
      readDb((db) => ({
        models: (db.prepare('SELECT count(*) AS n FROM models').get() as { n: number }).n,
        runs: (db.prepare("SELECT count(*) AS n FROM analysis_runs WHERE kind = 'churn_training'").get() as { n: number }).n,
        audit: (db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'model.train'").get() as { n: number }).n,
      }));
    const before = count();
    const { jobId } = await host.call('churn.train', { trees: 1000 });
    const done = finished(jobId);
    await new Promise<void>((resolve) => {
      const stop = host.onEvent((event, payload) => {
        const p = payload as { jobId: string; phase: string; done: number };
        if (event === 'job.progress' && p.jobId === jobId && p.phase === '训练流失模型' && p.done > 0) {
          stop();
          resolve();
        }
      });
    });
    expect(await host.call('job.cancel', { jobId })).toEqual({ cancelled: true });
    const result = await done;
    expect(result.status).toBe('cancelled');
    expect(count()).toEqual(before);
  });
});
