/**
 * Measure names of the community screens, from the shared glossary in the current language, and the values
 * the metric pickers (map colour, comparison radar) offer.
 */
import { measureHeader, measureLabel, type MeasureKey } from '../../../../shared/glossary';
import type { CommunityMeasures, CommunityRankRow } from '../../../../shared/community-types';
import { currentLocale } from '../../i18n';

export const header = (key: MeasureKey): string => measureHeader(key, currentLocale.value);
export const label = (key: MeasureKey): string => measureLabel(key, currentLocale.value);

/** Metrics a community can be coloured or compared by: a glossary measure and how to read it off a row. */
export interface Metric {
  key: MeasureKey;
  kind: 'pct' | 'wan' | 'int';
  value: (row: CommunityRankRow) => number | null;
  /** The branch's value, where the branch has one (it has no opportunity score). */
  branch: (m: CommunityMeasures) => number | null;
}

export const METRICS: readonly Metric[] = [
  { key: 'opportunity_score', kind: 'wan', value: (r) => r.opportunity.score, branch: () => null },
  { key: 'penetration', kind: 'pct', value: (r) => r.penetration, branch: (m) => m.penetration },
  { key: 'customers', kind: 'int', value: (r) => r.customers, branch: (m) => m.customers },
  { key: 'aum_per_household', kind: 'wan', value: (r) => r.aumPerHousehold, branch: (m) => m.aumPerHousehold },
  { key: 'aum_per_customer', kind: 'wan', value: (r) => r.aumPerCustomer, branch: (m) => m.aumPerCustomer },
  { key: 'active_share', kind: 'pct', value: (r) => r.activeShare, branch: (m) => m.activeShare },
  { key: 'age60_share', kind: 'pct', value: (r) => r.age60Share, branch: (m) => m.age60Share },
  { key: 'churn_high_share', kind: 'pct', value: (r) => r.churnHighShare, branch: (m) => m.churnHighShare },
  { key: 'contacted_share', kind: 'pct', value: (r) => r.contactedShare, branch: (m) => m.coverage.contactedShare },
];

export function metric(key: MeasureKey): Metric {
  return METRICS.find((m) => m.key === key) ?? METRICS[0]!;
}
