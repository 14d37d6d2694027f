import { describe, expect, it } from 'vitest';
import {
  adjustedRandIndex,
  describeFeature,
  featureTerm,
  fitStandardize,
  kmeans,
  matrixFromRows,
  profileClusters,
  segmentCustomers,
  suggestClusterNames,
  type FeatureDescriptor,
} from '../../../electron/engine/analytics/kmeans';
import { CUSTOMER_FEATURES, PERSONAS, plantedCustomers } from './customers';

describe('feature vocabulary', () => {
  it('knows the usual customer features', () => {
    const expectations: [string, string, string | null, string | null, boolean][] = [
      ['age', '年龄', '中老年', '年轻', false],
      ['aum_avg_3m', '资产', '高资产', '低资产', true],
      ['txn_count_12m', '活跃度', '高活跃', '低活跃', false],
      ['tenure_months', '往来年限', '老客户', '新客户', false],
      ['product_count', '持有产品', '多产品', '单一产品', false],
      ['mobile_share', '线上渠道', '线上偏好', '线下偏好', false],
      ['complaint_count_12m', '投诉', '有投诉', null, false],
      ['loan_share', '负债', '高负债', '无负债', false],
      ['wealth_share', '理财占比', '理财偏好', '存款偏好', false],
      ['deposit_balance', '存款', '高存款', '低存款', true],
      ['days_since_last_txn', '距上次交易', '久未交易', '近期活跃', false],
      ['月日均资产', '资产', '高资产', '低资产', true],
    ];
    for (const [key, label, high, low, money] of expectations) {
      const feature = describeFeature(key);
      expect({ key, label: feature.label, high: featureTerm(feature, 'high'), low: featureTerm(feature, 'low'), money: feature.money }).toEqual({
        key,
        label,
        high,
        low,
        money,
      });
    }
  });

  it('falls back to 高{label}/低{label} for unknown features, and lets callers override', () => {
    const unknown = describeFeature('pension_flag');
    expect(unknown.label).toBe('pension_flag');
    const labelled = describeFeature('pension_flag', { label: '养老金' });
    expect(featureTerm(labelled, 'high')).toBe('高养老金');
    expect(featureTerm(labelled, 'low')).toBe('低养老金');
    expect(describeFeature('aum', { money: false }).money).toBe(false);
  });
});

describe('cluster names', () => {
  const features: FeatureDescriptor[] = ['aum_avg_3m', 'txn_count_12m', 'age', 'complaint_count'].map((key) => describeFeature(key));

  it('joins the top terms with |z| ≥ 0.5, strongest first, at most three', () => {
    const names = suggestClusterNames(
      [
        [2.1, -1.4, 0.9, 0.7],
        [-0.3, 0.2, 0.1, 0.1],
        [-0.6, 0.55, -1.2, 0],
      ],
      features,
    );
    expect(names).toEqual(['高资产·低活跃·中老年', '均衡客群', '年轻·低资产·高活跃']);
  });

  it('skips directions not worth naming (few complaints) but names the notable one', () => {
    const names = suggestClusterNames(
      [
        [0.1, 0.1, 0.1, -0.9],
        [0.1, 0, 0, 1.8],
      ],
      features,
    );
    expect(names).toEqual(['均衡客群', '有投诉']);
  });

  it('separates equal names with a further feature when one exists', () => {
    const names = suggestClusterNames(
      [
        [1.5, -1.0, 0, 0.3],
        [1.4, -0.9, 0, -0.1],
      ],
      features.slice(0, 3).concat(describeFeature('tenure_months')),
      undefined,
      { maxTerms: 2 },
    );
    // Both are 高资产·低活跃; the next features are tenure (high, 0.3 ≥ 0.25) and nothing for the second,
    // so the extension cannot separate both and they are numbered by size instead.
    expect(names).toEqual(['高资产·低活跃·群1', '高资产·低活跃·群2']);

    const extended = suggestClusterNames(
      [
        [1.5, -1.0, 0.4, 0],
        [1.4, -0.9, -0.3, 0],
      ],
      features,
      undefined,
      { maxTerms: 2 },
    );
    expect(extended).toEqual(['高资产·低活跃·中老年', '高资产·低活跃·年轻']);
  });

  it('numbers identical names by cluster size, largest first', () => {
    const names = suggestClusterNames([[0, 0, 0, 0], [0.1, 0, 0, 0], [0, 0.2, 0, 0]], features, [10, 300, 50]);
    expect(names).toEqual(['均衡客群·群3', '均衡客群·群1', '均衡客群·群2']);
    expect(new Set(names).size).toBe(3);
  });
});

describe('profileClusters', () => {
  it('reports sizes, shares, means in original units and z-scores in standardized space', () => {
    // Two clusters of two rows; column 1 is money.
    const data = matrixFromRows([[25, 1_000], [35, 3_000], [50, 100_000], [60, 300_000]]);
    const features = [describeFeature('age'), describeFeature('aum_avg_3m')];
    const { scaler } = fitStandardize(data, { logColumns: [false, true] });
    const profiles = profileClusters(data, [0, 0, 1, 1], 2, scaler, features);
    const [young, rich] = profiles.clusters;
    expect(young!.size).toBe(2);
    expect(young!.share).toBe(0.5);
    expect(young!.means).toEqual([30, 2_000]);
    expect(rich!.means).toEqual([55, 200_000]);
    expect(profiles.overallMeans).toEqual([42.5, 101_000]);
    // Ages 25, 35, 50, 60: mean 42.5, population SD √((17.5² + 7.5²)·2/4) = √181.25, so z = ±12.5/√181.25 ≈ ±0.93.
    expect(young!.zScores[0]).toBeCloseTo(-12.5 / Math.sqrt(181.25), 12);
    expect(rich!.zScores[0]).toBeCloseTo(12.5 / Math.sqrt(181.25), 12);
    // AUM on the log1p scale: 6.909, 8.007, 11.513, 12.612 → mean 9.760, SD 2.366, z ≈ ±0.97.
    const logs = [1_000, 3_000, 100_000, 300_000].map(Math.log1p);
    const logMean = logs.reduce((a, b) => a + b) / 4;
    const logSd = Math.sqrt(logs.reduce((a, b) => a + (b - logMean) ** 2, 0) / 4);
    expect(rich!.zScores[1]).toBeCloseTo((logs[2]! + logs[3]!) / 2 / logSd - logMean / logSd, 12);
    expect(young!.zScores[1]).toBeCloseTo(-rich!.zScores[1]!, 12);
    // The typical balance is the back-transformed mean of log1p: √(1001·3001) − 1.
    expect(young!.typical[1]).toBeCloseTo(Math.sqrt(1001 * 3001) - 1, 6);
    // |z| 0.97 for assets beats 0.93 for age, so assets lead the name.
    expect(rich!.name).toBe('高资产·中老年');
    expect(young!.name).toBe('低资产·年轻');
    expect(rich!.distinguishing.map((f) => f.key)).toEqual(['aum_avg_3m', 'age']);
  });

  it('rejects labels out of range and feature/column mismatches', () => {
    const data = matrixFromRows([[1, 2], [3, 4]]);
    const { scaler } = fitStandardize(data);
    const features = [describeFeature('age'), describeFeature('aum')];
    expect(() => profileClusters(data, [0, 2], 2, scaler, features)).toThrow(/簇标签 2 不在 0 到 1 之间/);
    expect(() => profileClusters(data, [0, 1], 2, scaler, features.slice(0, 1))).toThrow(/维度不匹配/);
  });
});

describe('segmentation of planted customer personas', () => {
  const { data, truth } = plantedCustomers(1);

  it('recovers the personas and names the wealthy, quiet, older one 高资产·低活跃·中老年', () => {
    const result = segmentCustomers(data, { features: CUSTOMER_FEATURES, seed: 3 });
    expect(result.k).toBe(PERSONAS.length);
    expect(adjustedRandIndex(result.labels, truth)).toBeGreaterThanOrEqual(0.95);

    // The segment holding most wealthy-quiet customers carries their name.
    const wealthyRows = Array.from(truth.keys()).filter((i) => truth[i] === 0);
    const counts = new Map<number, number>();
    for (const i of wealthyRows) counts.set(result.labels[i]!, (counts.get(result.labels[i]!) ?? 0) + 1);
    const segment = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    const profile = result.profiles.clusters[segment]!;
    expect(profile.name).toBe('高资产·低活跃·中老年');
    expect(profile.typical[1]).toBeGreaterThan(2_000_000);

    const names = result.profiles.clusters.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    const digital = result.profiles.clusters.find((c) => c.name.includes('线上偏好'));
    expect(digital?.name).toContain('年轻');
    const fresh = result.profiles.clusters.find((c) => c.name.includes('新客户'));
    expect(fresh?.name).toContain('低资产');
  });

  it('numbers segments by size and maps centroids back to original units', () => {
    const result = segmentCustomers(data, { features: CUSTOMER_FEATURES, k: 4, seed: 3, silhouetteSampleSize: 0 });
    expect(result.silhouette).toBeNull();
    expect(result.suggestion).toBeNull();
    const sizes = Array.from(result.sizes);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    result.profiles.clusters.forEach((cluster, c) => expect(cluster.size).toBe(sizes[c]));
    // Age centroid in years, AUM centroid in yuan.
    for (let c = 0; c < 4; c++) {
      expect(result.centroidsOriginal.data[c * 6]).toBeGreaterThan(18);
      expect(result.centroidsOriginal.data[c * 6]).toBeLessThan(80);
      expect(result.centroidsOriginal.data[c * 6 + 1]).toBeGreaterThan(500);
    }
  });

  it('is reproducible for a seed', () => {
    const a = segmentCustomers(data, { features: CUSTOMER_FEATURES, k: 4, seed: 8, silhouetteSampleSize: 0 });
    const b = segmentCustomers(data, { features: CUSTOMER_FEATURES, k: 4, seed: 8, silhouetteSampleSize: 0 });
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(a.profiles.clusters.map((c) => c.name)).toEqual(b.profiles.clusters.map((c) => c.name));
  });

  it('clusters raw money badly without the log, which is why money is logged', () => {
    // Same data, AUM not flagged as money: the long tail of balances dominates and the personas blur.
    const unlogged = CUSTOMER_FEATURES.map((f) => ({ ...f, money: false }));
    const logged = segmentCustomers(data, { features: CUSTOMER_FEATURES, k: 4, seed: 3, silhouetteSampleSize: 0 });
    const raw = segmentCustomers(data, { features: unlogged, k: 4, seed: 3, silhouetteSampleSize: 0 });
    expect(adjustedRandIndex(logged.labels, truth)).toBeGreaterThan(adjustedRandIndex(raw.labels, truth));
  });

  it('validates features against columns', () => {
    expect(() => segmentCustomers(data, { features: CUSTOMER_FEATURES.slice(1) })).toThrow(/维度不匹配：5 个特征描述，数据有 6 列/);
  });

  it('profiles any labeling, e.g. plain k-means on standardized data', () => {
    const { scaler, standardized } = fitStandardize(data, { logColumns: CUSTOMER_FEATURES.map((f) => f.money === true) });
    const fit = kmeans(standardized, { k: 4, seed: 1 });
    const profiles = profileClusters(data, fit.labels, 4, scaler, CUSTOMER_FEATURES);
    const totalShare = profiles.clusters.reduce((sum, c) => sum + c.share, 0);
    expect(totalShare).toBeCloseTo(1, 12);
  });
});
