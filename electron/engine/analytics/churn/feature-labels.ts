/**
 * Chinese names of the feature columns, taken from the rule field catalog (shared/rule-fields.ts) so that
 * the model card, the drivers and the rule builder call a feature by the same name.
 */
import { FEATURE_KEYS, type FeatureKey } from '../../../../shared/analytics';
import { customerFieldCatalog, catalogField } from '../../../../shared/rule-fields';

// Any positive run id makes the catalog list the feature fields; no query is run.
const catalog = customerFieldCatalog({ featureRunId: 1, scoreRunId: null, tagRunId: null, asOf: '2000-01-01' });

export const FEATURE_LABELS: Readonly<Record<FeatureKey, string>> = Object.fromEntries(
  FEATURE_KEYS.map((key) => [key, catalogField(catalog, key)?.label ?? key]),
) as Record<FeatureKey, string>;

export function featureLabel(key: string): string {
  return (FEATURE_LABELS as Record<string, string>)[key] ?? key;
}

export function isFeatureKey(key: string): key is FeatureKey {
  return (FEATURE_KEYS as readonly string[]).includes(key);
}
