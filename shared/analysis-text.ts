/**
 * How the customer analysis is put into words, the same on the screen, in the CLI and in exports: the RFM
 * cut points, and a K-means result (issue #14: "a silhouette of 0.22 and k = 2 are given without meaning";
 * "+4.7σ on days since the last transaction is blue like good news").
 */
import type { FeatureKey, RfmCuts } from './analytics';
import { formatShare, formatWan } from './glossary';

/**
 * Strength of separation from the mean silhouette, on the scale of Kaufman & Rousseeuw (Finding Groups in
 * Data, 1990): above 0.70 a strong structure, 0.51–0.70 a reasonable one, 0.26–0.50 weak and possibly
 * artificial, 0.25 and below no substantial structure.
 */
export type SeparationLevel = 'none' | 'weak' | 'fair' | 'strong';

export function separationLevel(silhouette: number): SeparationLevel {
  if (!(silhouette > 0.25)) return 'none';
  if (silhouette <= 0.5) return 'weak';
  if (silhouette <= 0.7) return 'fair';
  return 'strong';
}

/** 区分度 as an analyst writes it, with what it means for using the segments. */
export const SEPARATION_TEXT: Readonly<Record<SeparationLevel, { label: string; meaning: string }>> = {
  none: { label: '很弱', meaning: '各群之间没有清晰界限，群名只代表倾向；圈选客户请以具体条件（规则）为准' },
  weak: { label: '弱', meaning: '各群有一定差别，但边界上的客户归属不稳定；适合了解客户结构，圈选名单请结合规则' },
  fair: { label: '中等', meaning: '各群差别较清楚，可作为分层经营的参考' },
  strong: { label: '强', meaning: '各群界限分明，可直接作为客群使用' },
};

/**
 * Whether a feature being high is good news for the branch (1), bad news (−1) or neither (0): it decides
 * the colour of a deviation, so that "+4.7σ 距最近主动交易天数" reads as the warning it is.
 */
export const FEATURE_POLARITY: Readonly<Record<FeatureKey, 1 | 0 | -1>> = {
  age: 0,
  tenure_months: 1,
  aum_latest: 1,
  aum_avg_3m: 1,
  aum_avg_12m: 1,
  aum_trend_slope_6m: 1,
  aum_change_pct_6m: 1,
  deposit_share: 0,
  wealth_share: 1,
  loan_share: -1,
  product_count: 1,
  category_count: 1,
  txn_count_30d: 1,
  txn_count_90d: 1,
  txn_count_365d: 1,
  days_since_last_active_txn: -1,
  mobile_share: 1,
  counter_share: 0,
  atm_share: 0,
  inflow_3m: 1,
  outflow_3m: -1,
  complaints_12m: -1,
  months_since_risk_assessment: -1,
};

/** good / bad / neutral news of a deviation `z` of `feature` (unknown features are neutral). */
export function deviationTone(feature: string, z: number): 'good' | 'bad' | 'neutral' {
  const polarity = (FEATURE_POLARITY as Record<string, number>)[feature] ?? 0;
  if (polarity === 0 || z === 0) return 'neutral';
  return polarity * z > 0 ? 'good' : 'bad';
}

/** A deviation in words, direction and size: 明显偏高 (|z| ≥ 1), 偏高 (≥ 0.5), 略高, and the same for 低. */
export function deviationWords(z: number): string {
  const size = Math.abs(z) >= 1 ? '明显偏' : Math.abs(z) >= 0.5 ? '偏' : '略';
  return `${size}${z >= 0 ? '高' : '低'}`;
}

/** How a feature's value is written: 万元 for money, a percentage for a 0–1 share, else a number and its unit. */
type FeatureUnit = { kind: 'wan' } | { kind: 'share' } | { kind: 'number'; unit: string; digits: number };

const wan: FeatureUnit = { kind: 'wan' };
const shareUnit: FeatureUnit = { kind: 'share' };
const num = (unit: string, digits = 1): FeatureUnit => ({ kind: 'number', unit, digits });

export const FEATURE_UNITS: Readonly<Record<FeatureKey, FeatureUnit>> = {
  age: num('岁', 0),
  tenure_months: num('个月', 0),
  aum_latest: wan,
  aum_avg_3m: wan,
  aum_avg_12m: wan,
  aum_trend_slope_6m: wan,
  aum_change_pct_6m: num('%'),
  deposit_share: shareUnit,
  wealth_share: shareUnit,
  loan_share: shareUnit,
  product_count: num('个'),
  category_count: num('类'),
  txn_count_30d: num('笔'),
  txn_count_90d: num('笔'),
  txn_count_365d: num('笔'),
  days_since_last_active_txn: num('天', 0),
  mobile_share: shareUnit,
  counter_share: shareUnit,
  atm_share: shareUnit,
  inflow_3m: wan,
  outflow_3m: wan,
  complaints_12m: num('次'),
  months_since_risk_assessment: num('个月', 0),
};

/** A feature value with its unit, e.g. 12.35 万元, 46.3%, 18 笔, 61 岁. */
export function formatFeatureValue(feature: string, value: number | null | undefined): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  const unit = (FEATURE_UNITS as Record<string, FeatureUnit>)[feature] ?? num('');
  if (unit.kind === 'wan') return `${formatWan(value)} 万元`;
  if (unit.kind === 'share') return formatShare(value);
  const digits = Number.isInteger(value) ? 0 : unit.digits;
  const text = value.toLocaleString('zh-CN', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return unit.unit === '%' ? `${text}%` : `${text} ${unit.unit}`.trim();
}

const SPLIT_TEXT: Readonly<Record<RfmCuts['split'], string>> = { raw_mean: '各项原始值的均值', median: '各项原始值的中位数', score_mean: '各项五分位得分的均值' };

const oneDecimal = (x: number) => x.toLocaleString('zh-CN', { maximumFractionDigits: 1 });

/**
 * The cut points of a run's RFM classes in words, one line per measure, e.g.
 * "R 近度：距最近一次主动交易少于 38.2 天为“近”（1,234 人）".
 */
export function rfmCutLines(cuts: RfmCuts): { title: string; lines: string[] } {
  const people = (n: number) => `${n.toLocaleString('zh-CN')} 人`;
  const m = cuts.monetary === 'inflow_12m' ? '近 12 个月资金流入' : '近 3 个月日均资产';
  const wan = (v: number | null) => (v === null ? '—' : `${formatWan(v)} 万元`);
  if (cuts.split === 'score_mean') {
    const score = (v: number | null) => (v === null ? '—' : v.toFixed(2));
    return {
      title: `RFM 划分：以${SPLIT_TEXT[cuts.split]}为界`,
      lines: [
        `R 近度：得分高于 ${score(cuts.r.value)} 为“近”，即最近一次主动交易不超过 ${cuts.r.boundary === null ? '—' : oneDecimal(cuts.r.boundary)} 天（${people(cuts.r.high)}）`,
        `F 频度：得分高于 ${score(cuts.f.value)} 为“高”，即近 ${cuts.frequencyMonths} 个月主动交易不少于 ${cuts.f.boundary === null ? '—' : oneDecimal(cuts.f.boundary)} 笔（${people(cuts.f.high)}）`,
        `M 金额：得分高于 ${score(cuts.m.value)} 为“高”，即${m}不少于 ${wan(cuts.m.boundary)}（${people(cuts.m.high)}）`,
      ],
    };
  }
  const noData = (what: string, low: string) => `没有${what}数据，全部客户计为“${low}”`;
  return {
    title: `RFM 划分：以${SPLIT_TEXT[cuts.split]}为界`,
    lines: [
      `R 近度：${cuts.r.value === null ? noData('主动交易', '远') : `距最近一次主动交易少于 ${oneDecimal(cuts.r.value)} 天为“近”（${people(cuts.r.high)}）`}`,
      `F 频度：${cuts.f.value === null ? noData('主动交易', '低') : `近 ${cuts.frequencyMonths} 个月主动交易多于 ${oneDecimal(cuts.f.value)} 笔为“高”（${people(cuts.f.high)}）`}`,
      `M 金额：${cuts.m.value === null ? noData(m, '低') : `${m}高于 ${wan(cuts.m.value)}为“高”（${people(cuts.m.high)}）`}`,
    ],
  };
}
