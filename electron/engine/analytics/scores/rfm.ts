/**
 * RFM (DESIGN.md §4).
 *
 * Measures:
 * - R: days since the last customer-initiated transaction (feature days_since_last_active_txn).
 * - F: customer-initiated transactions over settings.rfm.frequencyMonths months. Customer-initiated, like R
 *   and dormancy (shared/dictionary.ts PASSIVE_TRANSACTION_TYPES): a monthly salary credit or interest
 *   posting would otherwise make a customer who never acts look as frequent as an active one.
 * - M: settings.rfm.monetary: the 3-month average AUM (aum_avg_3m, default) or the 12-month inflow.
 *
 * Scores: quintiles 1–5 (quintiles.ts: ties share the score of their lowest rank), R reversed so that the
 * most recent fifth scores 5. A customer with no customer-initiated transaction at all scores R = 1, as
 * does everybody when the workspace holds no transactions. A missing F or M (no source data) counts as 0.
 *
 * Classes: each of R, F, M is "high" when the customer's score is above the mean score of all customers,
 * and the pattern picks one of the 8 classes of rfm-actions.ts. Scores, not raw measures, are compared with
 * their mean, because the raw measures are heavily skewed: a few 私行 customers pull the mean AUM so high
 * that nearly everybody is "low M", a few long-dormant accounts drag the mean recency to months, and R is
 * undefined for customers who never transacted. The scores are rank-based, bounded and defined for
 * everybody, so the split stays meaningful and agrees with the R×F heat map the screen shows.
 */
import type { Settings } from '../../../../shared/settings';
import type { FeatureTable, ScoreInputs } from '../features';
import { rfmClassOf } from './rfm-actions';
import { mean, quintileScores } from './quintiles';

export interface RfmResult {
  r: Uint8Array;
  f: Uint8Array;
  m: Uint8Array;
  /** RFM class code per customer (shared/analytics.ts RFM_CLASSES). */
  classes: string[];
  means: { r: number; f: number; m: number };
}

export function computeRfm(table: FeatureTable, inputs: ScoreInputs, settings: Settings, cancel: () => void = () => {}): RfmResult {
  const n = table.customerIds.length;
  const days = table.columns.days_since_last_active_txn;
  const recency = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = days[i] as number;
    recency[i] = d === d ? -d : Number.NEGATIVE_INFINITY;
  }
  const r = quintileScores(recency);
  for (let i = 0; i < n; i++) if (days[i] !== days[i]) r[i] = 1;
  cancel();
  const f = quintileScores(inputs.activeTxnFrequency);
  cancel();
  const m = quintileScores(settings.rfm.monetary === 'inflow_12m' ? inputs.inflow12m : table.columns.aum_avg_3m);
  cancel();
  const means = { r: mean(r), f: mean(f), m: mean(m) };
  const classes = new Array<string>(n);
  for (let i = 0; i < n; i++) classes[i] = rfmClassOf((r[i] as number) > means.r, (f[i] as number) > means.f, (m[i] as number) > means.m).code;
  return { r, f, m, classes, means };
}
