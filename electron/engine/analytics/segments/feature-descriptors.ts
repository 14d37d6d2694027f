/**
 * How each customer feature is standardized and named in K-means: money gets log1p (shared/analytics.ts
 * MONEY_FEATURES), labels for tables and charts come from the rule catalog (the names the rule builder
 * and the customer list use), and the naming terms of a cluster come from the K-means vocabulary.
 *
 * The vocabulary matches on key patterns; a few feature keys would match the wrong entry (the AUM trend
 * and change match "aum" before "trend", months_since_risk_assessment matches "risk") or none
 * (category_count, atm_share), so they are given their terms here.
 */
import { FEATURE_KEYS, MONEY_FEATURES, type FeatureKey } from '../../../../shared/analytics';
import { customerFieldCatalog } from '../../../../shared/rule-fields';
import { describeFeature, type FeatureDescriptor } from '../kmeans';

const OVERRIDES: Partial<Record<FeatureKey, Partial<Omit<FeatureDescriptor, 'key'>>>> = {
  aum_trend_slope_6m: { label: '资产趋势', high: '资产增长', low: '资产下滑' },
  aum_change_pct_6m: { label: '资产变动', high: '资产增长', low: '资产下滑' },
  category_count: { label: '产品种类', high: '多品类', low: '单一品类' },
  atm_share: { label: 'ATM渠道', high: 'ATM偏好', low: null },
  months_since_risk_assessment: { label: '测评间隔', high: '测评久未更新', low: null },
  txn_count_30d: { label: '近月活跃度' },
  inflow_3m: { label: '资金流入', high: '大额流入', low: '流入少' },
  outflow_3m: { label: '资金流出', high: '大额流出', low: '流出少' },
};

/** Chinese labels of the feature columns, as the rule catalog names them (近3个月日均资产, 年龄, …). */
export const FEATURE_LABELS: Readonly<Record<FeatureKey, string>> = (() => {
  const catalog = customerFieldCatalog({ featureRunId: 1, scoreRunId: null, tagRunId: null, asOf: '2000-01-01' });
  return Object.fromEntries(FEATURE_KEYS.map((key) => [key, catalog.fields[key]?.label ?? key])) as Record<FeatureKey, string>;
})();

export function featureDescriptor(key: FeatureKey): FeatureDescriptor {
  return describeFeature(key, { ...OVERRIDES[key], money: MONEY_FEATURES.includes(key) });
}
