/**
 * Which features a time-honest model may learn from (DESIGN.md §4, issue #13 §1).
 *
 * A supervised model trained on features as of F = T − h must see only what was known at F. Dated sources
 * (balances by month, transactions, holdings with their opening and closing dates, interactions) can be
 * read as of F. A customer field that holds only its latest value cannot: `risk_assessed_at` is the date of
 * the latest assessment, so at F the assessment then valid is unknown, and reading "assessed after F" as
 * missing leaks a re-assessment inside the label window (re-assessed customers are the engaged ones: the
 * audit raised PR AUC from 0.636 to 0.745 by moving assessment dates alone).
 *
 * So features computed from latest-value fields stay in customer_features (the screens, rules and
 * suitability read them as of the analysis date, where the latest value is the right one) but are never
 * training features. Every model that trains on features as of a past date (churn, product-matching
 * propensity) takes its columns from TRAINING_FEATURE_KEYS. A field whose history is kept with dates could
 * come back as a feature read as of F.
 */
import { FEATURE_KEYS, type FeatureKey } from '../../../../shared/analytics';

/**
 * Customer columns that hold only their latest value. birth_date and open_date are facts that do not
 * change, so age and tenure stay honest features.
 */
export const LATEST_VALUE_CUSTOMER_COLUMNS = [
  'risk_level',
  'risk_assessed_at',
  'occupation',
  'education',
  'marital_status',
  'income_band',
  'customer_type',
  'community_id',
  'manager_id',
  'consent_marketing',
  'do_not_contact',
] as const;

/** Feature columns computed from a latest-value customer column. */
export const LATEST_VALUE_FEATURES: readonly FeatureKey[] = ['months_since_risk_assessment'];

/** The feature columns a model trained on a past date may use, in customer_features order. */
export const TRAINING_FEATURE_KEYS: readonly FeatureKey[] = FEATURE_KEYS.filter((key) => !LATEST_VALUE_FEATURES.includes(key));
