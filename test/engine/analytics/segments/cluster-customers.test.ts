/**
 * clusterCustomers end to end on planted segments: K-means through the job finds them (adjusted Rand
 * index ≥ 0.95), the silhouette suggests their number, missing values are filled with the median and
 * reported, the assignments are stored in a segmentation run and copied to customer_scores.cluster_id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../../../electron/engine/analytics/kmeans';
import { clusterCustomers, NO_ANALYSIS_MESSAGE } from '../../../../electron/engine/analytics/segments/cluster-customers';
import { standaloneJobContext } from '../../../../electron/engine/context';
import { CancelledError } from '../../../../electron/engine/errors';
import type { SegmentationResult } from '../../../../shared/analytics';
import { tempWorkspace, type TempWorkspace } from '../../customers/fixture';
import { plantClusters, type Planted } from '../support/planted-clusters';

const FEATURES = ['aum_avg_3m', 'age', 'txn_count_90d', 'mobile_share'] as const;

describe('clusterCustomers', () => {
  let ws: TempWorkspace;
  let planted: Planted;
  let fixed: SegmentationResult;
  const ctx = () => standaloneJobContext(ws.db);
  const assignments = (runId: number) => ws.db.prepare('SELECT customer_id, cluster FROM cluster_assignments WHERE run_id = ? ORDER BY customer_id').all(runId) as { customer_id: string; cluster: number }[];
  const ari = (runId: number) => {
    const rows = assignments(runId);
    return adjustedRandIndex(rows.map((r) => planted.truth.get(r.customer_id)!), rows.map((r) => r.cluster));
  };

  beforeAll(async () => {
    ws = tempWorkspace();
    planted = plantClusters(ws.db);
    fixed = await clusterCustomers(ctx(), { features: [...FEATURES], k: 4, seed: 3 });
  });
  afterAll(() => ws.close());

  it('refuses to run before any customer analysis, saying what to do', async () => {
    const empty = tempWorkspace();
    try {
      await expect(clusterCustomers(standaloneJobContext(empty.db), { features: [...FEATURES], seed: 1 })).rejects.toThrow(NO_ANALYSIS_MESSAGE);
      expect(NO_ANALYSIS_MESSAGE).toMatch(/请先运行客户分析/);
    } finally {
      empty.close();
    }
  });

  it('recovers planted segments with k given (ARI ≥ 0.95)', () => {
    expect(fixed.k).toBe(4);
    expect(fixed.clusters).toHaveLength(4);
    expect(fixed.clusters.reduce((sum, c) => sum + c.size, 0)).toBe(planted.truth.size);
    expect(fixed.customers).toBe(planted.truth.size);
    expect(ari(fixed.runId)).toBeGreaterThanOrEqual(0.95);
    expect(fixed.silhouette).toBeGreaterThan(0.4);
    expect(fixed.silhouetteCurve).toBeNull();
  });

  it('suggests the planted number of segments by silhouette when k is not given', async () => {
    const auto = await clusterCustomers(ctx(), { features: [...FEATURES], seed: 3 });
    expect(auto.k).toBe(4);
    expect(auto.silhouetteCurve!.map((p) => p.k)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const best = Math.max(...auto.silhouetteCurve!.map((p) => p.silhouette));
    expect(auto.silhouetteCurve!.find((p) => p.k === 4)!.silhouette).toBe(best);
    expect(ari(auto.runId)).toBeGreaterThanOrEqual(0.95);
  });

  it('profiles each cluster with Chinese labels, z-scores and a suggested name', () => {
    expect(fixed.features).toEqual([
      { key: 'aum_avg_3m', label: '近3个月日均资产' },
      { key: 'age', label: '年龄' },
      { key: 'txn_count_90d', label: '近90天交易笔数' },
      { key: 'mobile_share', label: '手机银行交易占比' },
    ]);
    const names = fixed.clusters.map((c) => c.name);
    expect(new Set(names).size).toBe(4);
    for (const cluster of fixed.clusters) {
      expect(Object.keys(cluster.means)).toEqual([...FEATURES]);
      expect(Object.keys(cluster.zScores)).toEqual([...FEATURES]);
      expect(cluster.topFeatures.length).toBeGreaterThan(0);
      expect(cluster.topFeatures[0]!.label).toMatch(/[\u4e00-\u9fff]/);
      expect(cluster.name).toMatch(/^[\u4e00-\u9fff·0-9群]+$/);
    }
    // The rich, old, inactive segment: high assets, older, few transactions.
    const rich = fixed.clusters.reduce((a, b) => (a.means.aum_avg_3m! > b.means.aum_avg_3m! ? a : b));
    expect(rich.zScores.aum_avg_3m).toBeGreaterThan(1);
    expect(rich.name).toContain('高资产');
    // Sizes sorted largest first, shares of the whole.
    expect(fixed.clusters.map((c) => c.index)).toEqual([0, 1, 2, 3]);
    expect(fixed.clusters.reduce((sum, c) => sum + c.share, 0)).toBeCloseTo(1, 10);
  });

  it('fills missing values with the median and says so', () => {
    expect(fixed.imputed).toHaveLength(1);
    const [imputed] = fixed.imputed!;
    expect(imputed).toMatchObject({ feature: 'txn_count_90d', label: '近90天交易笔数', customers: planted.missing.length });
    const values = (ws.db.prepare('SELECT txn_count_90d FROM customer_features WHERE run_id = ? AND txn_count_90d IS NOT NULL ORDER BY 1').pluck().all(planted.runId) as number[]);
    const mid = values.length >> 1;
    expect(imputed!.value).toBe(values.length % 2 ? values[mid] : (values[mid - 1]! + values[mid]!) / 2);
    expect(assignments(fixed.runId)).toHaveLength(planted.truth.size);
  });

  it('stores a segmentation run and copies the latest clustering to customer_scores.cluster_id', () => {
    const run = ws.db.prepare('SELECT kind, status, as_of, params_json, metrics_json FROM analysis_runs WHERE run_id = ?').get(fixed.runId) as Record<string, string>;
    expect(run).toMatchObject({ kind: 'segmentation', status: 'succeeded', as_of: '2024-06-30' });
    expect(JSON.parse(run.params_json!)).toEqual({ features: [...FEATURES], k: 4, seed: 3, featureRunId: planted.runId });
    expect(JSON.parse(run.metrics_json!)).toMatchObject({ k: 4, scoreRunId: planted.runId });
    // The later (automatic) clustering is the one in customer_scores now.
    const latest = ws.db.prepare("SELECT max(run_id) FROM analysis_runs WHERE kind = 'segmentation' AND status = 'succeeded'").pluck().get() as number;
    const mismatched = ws.db
      .prepare('SELECT count(*) FROM customer_scores s JOIN cluster_assignments a ON a.customer_id = s.customer_id AND a.run_id = ? WHERE s.run_id = ? AND s.cluster_id IS NOT a.cluster')
      .pluck()
      .get(latest, planted.runId);
    expect(mismatched).toBe(0);
  });

  it('is reproducible with the same seed', async () => {
    const again = await clusterCustomers(ctx(), { features: [...FEATURES], k: 4, seed: 3 });
    expect(assignments(again.runId).map((r) => r.cluster)).toEqual(assignments(fixed.runId).map((r) => r.cluster));
    expect(again.clusters.map((c) => c.name)).toEqual(fixed.clusters.map((c) => c.name));
  });

  it('stops when cancelled and marks the run cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(clusterCustomers(standaloneJobContext(ws.db, { signal: controller.signal }), { features: [...FEATURES], k: 3, seed: 1 })).rejects.toBeInstanceOf(CancelledError);
    const last = ws.db.prepare("SELECT status FROM analysis_runs WHERE kind = 'segmentation' ORDER BY run_id DESC LIMIT 1").pluck().get();
    expect(last).toBe('cancelled');
  });
});
