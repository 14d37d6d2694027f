/**
 * Cluster names against the absolute facts (issue #13): a cluster above the branch mean in assets is not
 * 高资产 when its median customer is 大众; 久未交易 needs the 沉睡 line; 新客户 and 老客户 follow the lifecycle
 * and the tag; and the profile sentence names the main tier and the strongest deviations.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../../shared/settings';
import { createMatrix, describeFeature, suggestClusterNames } from '../../../../electron/engine/analytics/kmeans';
import { absoluteTerm, clusterFacts, describeCluster } from '../../../../electron/engine/analytics/segments/cluster-facts';
import type { FeatureKey } from '../../../../shared/analytics';

const features: FeatureKey[] = ['aum_avg_3m', 'days_since_last_active_txn', 'tenure_months'];
const descriptors = features.map((key) => describeFeature(key, { money: key === 'aum_avg_3m' }));

/** Rows [aum, days, tenure] per cluster; labels follow the order. */
function facts(clusters: number[][][], tiers: string[][] | null = null) {
  const rows = clusters.flat();
  const matrix = createMatrix(rows.length, 3, Float64Array.from(rows.flat()));
  const labels = clusters.flatMap((rowsOf, c) => rowsOf.map(() => c));
  return clusterFacts(matrix, labels, clusters.length, tiers ? tiers.flat() : null);
}

describe('cluster names against the thresholds', () => {
  it('calls a cluster 高资产 only when its median is 财富 or above, and 低资产 only when it is 大众', () => {
    // Cluster 0: two thirds 大众 with a few rich customers pulling the mean up; cluster 1: 财富 at the median.
    const f = facts([
      [[20_000, 10, 60], [30_000, 12, 60], [3_000_000, 11, 60]],
      [[800_000, 10, 60], [900_000, 9, 60], [40_000, 8, 60]],
      [[1_000, 400, 3], [500, 500, 2], [800, 365, 4]],
    ]);
    const term = absoluteTerm(features, f, DEFAULT_SETTINGS);
    expect(term(0, 0, 'high')).toBeNull();
    expect(term(1, 0, 'high')).toBe('高资产');
    expect(term(2, 0, 'low')).toBe('低资产');
    expect(term(1, 0, 'low')).toBeNull();
    // 久未交易 needs the 180-day 沉睡 line at the median; 近期活跃 a month.
    expect(term(2, 1, 'high')).toBe('久未交易');
    expect(term(0, 1, 'low')).toBe('近期活跃');
    // 新客户 under 6 months of tenure, 老客户 from 10 years, relative words between.
    expect(term(2, 2, 'low')).toBe('新客户');
    expect(term(0, 2, 'low')).toBe('开户较晚');
    expect(term(0, 2, 'high')).toBe('开户较早');

    const names = suggestClusterNames([[1.2, 0, 0], [1.5, 0, 0], [-1.4, 2.5, -2]], descriptors, [3, 3, 3], { termOf: term });
    expect(names[0]).not.toContain('高资产');
    expect(names[1]).toBe('高资产');
    expect(names[2]).toContain('久未交易');
    expect(names[2]).toContain('低资产');
  });

  it('describes a cluster by its main tier and strongest deviations, medians for money and days', () => {
    const f = facts(
      [
        [[20_000, 300, 60], [30_000, 400, 60]],
        [[800_000, 10, 60], [900_000, 9, 60]],
      ],
      [['mass', 'mass'], ['wealth', 'wealth']],
    );
    const text = describeCluster(0, { zScores: [-1.2, 1.1, 0], means: [25_000, 350, 60] }, [462_500, 179.75, 60], features, f);
    expect(text).toBe('以大众客户为主（100.0%）；近3个月日均资产明显偏低（本群中位 2.50 万元，全行 41.50 万元）；距最近主动交易天数明显偏高（本群中位 350 天，全行 155 天）。');
    expect(describeCluster(1, { zScores: [0.1, 0, 0], means: [850_000, 9.5, 60] }, [462_500, 179.75, 60], features, f)).toBe('以财富客户为主（100.0%）；各项特征与全行接近。');
  });
});
