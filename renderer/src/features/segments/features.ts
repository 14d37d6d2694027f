/** The customer features K-means may cluster on, with their names and units from the rule field catalog. */
import { FEATURE_KEYS, MONEY_FEATURES, type FeatureKey } from '../../../../shared/analytics';
import { RULE_FIELD_GROUP_LABELS_EN, RULE_FIELD_GROUPS, type RuleField, type RuleFieldGroup } from '../../../../shared/rule-fields';
import { builderFieldLabel } from '../../components/rule-builder/context';
import { currentLocale } from '../../i18n';
import { formatPct } from '../../utils/format';
import { definitionCatalog } from '../customers/filter';

/** A sensible first choice: age, tenure, assets, breadth of products, activity and channel. */
export const DEFAULT_FEATURES: readonly FeatureKey[] = ['age', 'tenure_months', 'aum_avg_3m', 'product_count', 'txn_count_90d', 'days_since_last_active_txn', 'mobile_share'];

function fieldOf(key: string): RuleField | undefined {
  return Object.prototype.hasOwnProperty.call(definitionCatalog.fields, key) ? definitionCatalog.fields[key] : undefined;
}

export function featureLabel(key: string): string {
  const f = fieldOf(key);
  return f ? builderFieldLabel(f) : key;
}

export function featureGroups(): { key: RuleFieldGroup; label: string; features: { key: FeatureKey; label: string }[] }[] {
  return RULE_FIELD_GROUPS.map((g) => ({
    key: g,
    label: currentLocale.value === 'en' ? RULE_FIELD_GROUP_LABELS_EN[g] : g,
    features: FEATURE_KEYS.filter((k) => fieldOf(k)?.group === g).map((k) => ({ key: k, label: featureLabel(k) })),
  })).filter((g) => g.features.length > 0);
}

/** A feature mean as the table shows it: money in 万元, shares in percent, the rest with one decimal. */
export function formatFeatureMean(key: string, value: number | null | undefined): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  if ((MONEY_FEATURES as readonly string[]).includes(key)) return (value / 10_000).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  if (fieldOf(key)?.percent) return formatPct(value);
  return value.toLocaleString('zh-CN', { maximumFractionDigits: 1 });
}

export function isMoneyFeature(key: string): boolean {
  return (MONEY_FEATURES as readonly string[]).includes(key);
}

/** Symmetric bound of the radar axes: the largest |z| rounded up to a half, between 1 and 3. */
export function radarBound(zs: readonly number[]): number {
  const max = Math.max(0, ...zs.map((z) => Math.abs(z)).filter(Number.isFinite));
  return Math.min(3, Math.max(1, Math.ceil(max * 2) / 2));
}

/** Skewed measures are shown by their median, the rest by their mean (as the engine's profile sentence). */
export function typicalIsMedian(key: string): boolean {
  return isMoneyFeature(key) || key === 'days_since_last_active_txn';
}
