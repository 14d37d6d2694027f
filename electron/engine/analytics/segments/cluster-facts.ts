/**
 * What each cluster is in absolute terms, beside its z-scores: the median of every feature, the mix of
 * value tiers, a name checked against the tier thresholds and a profile in words.
 *
 * K-means names a cluster by how far it stands from the branch mean (kmeans/naming.ts). On a skewed measure
 * that misleads: a cluster above the mean in assets was called 高资产 while two thirds of it was 大众
 * (issue #13). Where the branch has a threshold for a measure, the threshold names it:
 * - assets (aum_latest, aum_avg_3m, aum_avg_12m) by the tier of the cluster's median against
 *   settings.tiers: 低资产 (大众), 中等资产 (金卡), 高资产 (财富), 私行级资产 (私行). A term that contradicts
 *   the z-score's direction is dropped (above the mean but 大众 at the median is not "high" of anything);
 * - days since the last transaction: 久未交易 only when the median reaches settings.lifecycle.dormantDays
 *   (the 沉睡 line), 近期活跃 only when it is within RECENT_DAYS;
 * - tenure: 新客户 only under the lifecycle's newMonths, 老客户 only from the tag's longTenureYears;
 *   otherwise 开户较晚 / 开户较早.
 * Other features keep their usual term.
 */
import { NO_RECORD_TIER, TIER_CODES, type FeatureKey, type TierCode } from '../../../../shared/analytics';
import { VALUE_TIER_LABELS } from '../../../../shared/rule-fields';
import { deviationWords, formatFeatureValue } from '../../../../shared/analysis-text';
import type { Settings } from '../../../../shared/settings';
import { formatShare } from '../../../../shared/glossary';
import type { ClusterTerm, Matrix } from '../kmeans';
import { median } from '../scores/quintiles';
import { tierOf } from '../scores/tiers';
import { FEATURE_LABELS } from './feature-descriptors';

/** "近期": the customer transacted within the last month. */
export const RECENT_DAYS = 30;

const AUM_FEATURES: ReadonlySet<FeatureKey> = new Set<FeatureKey>(['aum_latest', 'aum_avg_3m', 'aum_avg_12m']);
const AUM_TERMS: Readonly<Record<TierCode, string | null>> = { mass: '低资产', affluent: '中等资产', wealth: '高资产', private: '私行级资产', no_record: null };

/** Deviations named in a profile: at least this many SDs, at most this many features. */
const DESCRIBE_MIN_Z = 0.5;
const DESCRIBE_MAX = 3;

export interface ClusterFacts {
  /** medians[c][f]: median of feature f in cluster c, in the units of the matrix (capped recency). */
  medians: number[][];
  overallMedians: number[];
  /** Share of each tier code per cluster; null when the run has no tiers. */
  tierShares: (Record<TierCode, number> | null)[];
}

/**
 * Medians and tier mix per cluster. `tiers` holds each row's tier code (aligned with the matrix rows), or
 * null when the customer analysis has no scores.
 */
export function clusterFacts(matrix: Matrix, labels: ArrayLike<number>, k: number, tiers: readonly (string | null)[] | null): ClusterFacts {
  const { rows: n, cols: d, data } = matrix;
  const columns = Array.from({ length: k }, () => Array.from({ length: d }, () => [] as number[]));
  const tierCounts = Array.from({ length: k }, () => new Map<string, number>());
  for (let i = 0; i < n; i++) {
    const c = labels[i] as number;
    for (let f = 0; f < d; f++) (columns[c]![f] as number[]).push(data[i * d + f] as number);
    const tier = tiers?.[i];
    if (tier) tierCounts[c]!.set(tier, (tierCounts[c]!.get(tier) ?? 0) + 1);
  }
  const overallMedians = Array.from({ length: d }, (_, f) => median(Float64Array.from({ length: n }, (_, i) => data[i * d + f] as number)));
  return {
    medians: columns.map((byFeature) => byFeature.map((values) => (values.length > 0 ? median(values) : Number.NaN))),
    overallMedians,
    tierShares: tierCounts.map((counts) => {
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      if (tiers === null || total === 0) return null;
      return Object.fromEntries(TIER_CODES.map((tier) => [tier, (counts.get(tier) ?? 0) / total])) as Record<TierCode, number>;
    }),
  };
}

/** The naming terms that the thresholds decide (see the file comment); undefined leaves a feature's own term. */
export function absoluteTerm(features: readonly FeatureKey[], facts: ClusterFacts, settings: Settings): ClusterTerm {
  return (c, f, direction) => {
    const key = features[f] as FeatureKey;
    const value = facts.medians[c]?.[f] as number;
    if (AUM_FEATURES.has(key)) {
      const tier = tierOf(value, settings.tiers);
      if (direction === 'high' && tier === 'mass') return null;
      if (direction === 'low' && (tier === 'wealth' || tier === 'private')) return null;
      return AUM_TERMS[tier];
    }
    if (key === 'days_since_last_active_txn') {
      if (direction === 'high') return value >= settings.lifecycle.dormantDays ? '久未交易' : null;
      return value <= RECENT_DAYS ? '近期活跃' : null;
    }
    if (key === 'tenure_months') {
      // 新客户 and 老客户 as the lifecycle (新客) and the tag (十年以上老客户) define them; otherwise relative words.
      if (direction === 'low') return value < settings.lifecycle.newMonths ? '新客户' : '开户较晚';
      return value >= 12 * settings.tags.longTenureYears ? '老客户' : '开户较早';
    }
    return undefined;
  };
}

/** Skewed measures are described by their median, the others (counts, shares, ages) by their mean. */
const BY_MEDIAN: ReadonlySet<FeatureKey> = new Set<FeatureKey>([...AUM_FEATURES, 'aum_trend_slope_6m', 'inflow_3m', 'outflow_3m', 'days_since_last_active_txn']);

/**
 * One sentence per cluster: its main tier, then its strongest deviations with the cluster's median (skewed
 * measures) or mean beside the branch's, e.g.
 * "以大众客户为主（72.1%）；距最近主动交易天数明显偏高（本群中位 365 天，全行 12 天）。"
 */
export function describeCluster(
  c: number,
  profile: { zScores: readonly number[]; means: readonly number[] },
  overallMeans: readonly number[],
  features: readonly FeatureKey[],
  facts: ClusterFacts,
): string {
  const zScores = profile.zScores;
  const parts: string[] = [];
  const shares = facts.tierShares[c];
  const [tier, share] = shares ? (Object.entries(shares).sort((a, b) => b[1] - a[1])[0] as [TierCode, number]) : [NO_RECORD_TIER, 0];
  // Without balances there is no tier to speak of (every customer 无记录).
  if (tier !== NO_RECORD_TIER) {
    const label = `${VALUE_TIER_LABELS[tier] ?? tier}客户`;
    parts.push(share >= 0.5 ? `以${label}为主（${formatShare(share)}）` : `${label}最多（${formatShare(share)}）`);
  }
  const strongest = features
    .map((key, f) => ({ key, f, z: zScores[f] as number }))
    .filter((x) => Math.abs(x.z) >= DESCRIBE_MIN_Z)
    .sort((a, b) => Math.abs(b.z) - Math.abs(a.z))
    .slice(0, DESCRIBE_MAX);
  if (strongest.length === 0) parts.push('各项特征与全行接近');
  for (const { key, f, z } of strongest) {
    const [word, own, branch] = BY_MEDIAN.has(key) ? ['中位', facts.medians[c]?.[f], facts.overallMedians[f]] : ['平均', profile.means[f], overallMeans[f]];
    parts.push(`${FEATURE_LABELS[key]}${deviationWords(z)}（本群${word} ${formatFeatureValue(key, own)}，全行 ${formatFeatureValue(key, branch)}）`);
  }
  return `${parts.join('；')}。`;
}
