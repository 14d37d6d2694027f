/**
 * The features a product-matching forest reads: the customer analysis's features (the same pipeline as
 * churn, analytics/features) as of a date, and the holding facts of holding-facts.ts on that date.
 *
 * Time honesty (DESIGN.md §4): every feature is computed from data dated up to the feature date. Fields that
 * keep only their latest value are left out, because on T − h their value then is unknown: the months since
 * the risk assessment (customers.risk_assessed_at is overwritten at each new assessment), and the customer
 * master's risk level, occupation, income band, marital status and contact permissions, which were never
 * features. The eligibility rules still read the latest values, on the date they are for.
 */
import { FEATURE_KEYS, type FeatureKey } from '../../../shared/analytics';
import { PRODUCT_CATEGORIES } from '../../../shared/dictionary';
import { FEATURE_LABELS } from '../analytics/churn/feature-labels';
import type { FeatureTable } from '../analytics/features/index';
import { createColumnMatrix, type ColumnMatrix } from '../analytics/forest/index';
import { categoryLabel } from './families';
import type { HoldingFacts } from './holding-facts';

/** Features of the analytics core that hold a latest value only, kept out of matching's training. */
export const LATEST_VALUE_FEATURES: readonly FeatureKey[] = ['months_since_risk_assessment'];

export const CORE_MATCH_FEATURES: readonly FeatureKey[] = FEATURE_KEYS.filter((key) => !LATEST_VALUE_FEATURES.includes(key));

const HOLDS_PREFIX = 'holds_';
export const HOLDING_FEATURES = [
  ...PRODUCT_CATEGORIES.map((c) => `${HOLDS_PREFIX}${c}`),
  'max_risk_held',
  'deposits_due',
  'deposits_matured_unrenewed',
  'openings_12m',
  'months_since_opening',
] as const;

export const MATCH_FEATURE_KEYS: readonly string[] = [...CORE_MATCH_FEATURES, ...HOLDING_FEATURES];

const HOLDING_LABELS: Record<string, string> = {
  ...Object.fromEntries(PRODUCT_CATEGORIES.map((c) => [`${HOLDS_PREFIX}${c}`, `持有${categoryLabel(c)}`])),
  max_risk_held: '持有产品的最高风险等级',
  deposits_due: '即将到期的定期存款笔数',
  deposits_matured_unrenewed: '近3个月到期未续存的定期笔数',
  openings_12m: '近12个月新开产品数',
  months_since_opening: '距最近一次开立产品月数',
};

export function matchFeatureLabel(key: string): string {
  return HOLDING_LABELS[key] ?? (FEATURE_LABELS as Record<string, string>)[key] ?? key;
}

/** Core features as columns by key, aligned with the rows of `facts` (the table's customers). */
export type CoreColumns = Readonly<Record<string, ArrayLike<number>>>;

/** The forest's input for rows `rows` of the customers (all rows when omitted), in MATCH_FEATURE_KEYS order. */
export function matchMatrix(core: CoreColumns, facts: HoldingFacts, rows?: ArrayLike<number>): ColumnMatrix {
  const n = rows ? rows.length : facts.maxRiskHeld.length;
  const X = createColumnMatrix(n, MATCH_FEATURE_KEYS.length);
  MATCH_FEATURE_KEYS.forEach((key, c) => {
    const column = columnOf(key, core, facts);
    const base = c * n;
    if (rows) for (let i = 0; i < n; i++) X.data[base + i] = column[rows[i]!]!;
    else for (let i = 0; i < n; i++) X.data[base + i] = column[i]!;
  });
  return X;
}

function columnOf(key: string, core: CoreColumns, facts: HoldingFacts): ArrayLike<number> {
  if (key.startsWith(HOLDS_PREFIX)) return facts.heldCategory.get(key.slice(HOLDS_PREFIX.length)) ?? new Uint8Array(facts.maxRiskHeld.length);
  switch (key) {
    case 'max_risk_held':
      return facts.maxRiskHeld;
    case 'deposits_due':
      return facts.depositsDue;
    case 'deposits_matured_unrenewed':
      return facts.depositsMaturedUnrenewed;
    case 'openings_12m':
      return facts.openings12m;
    case 'months_since_opening':
      return facts.monthsSinceOpening;
    default: {
      const column = core[key];
      if (!column) throw new Error(`Feature ${key} is missing from the core features.`);
      return column;
    }
  }
}

/** The customer index of a feature table (customer id → row). */
export function indexOf(table: Pick<FeatureTable, 'customerIds'>): Map<string, number> {
  const index = new Map<string, number>();
  table.customerIds.forEach((id, i) => index.set(id, i));
  return index;
}
