/**
 * RFM (DESIGN.md §4).
 *
 * Measures:
 * - R: days since the last customer-initiated transaction (feature days_since_last_active_txn).
 * - F: customer-initiated transactions over settings.rfm.frequencyMonths months. Customer-initiated, like R
 *   and dormancy (shared/dictionary.ts PASSIVE_TRANSACTION_TYPES): a salary credit, an interest posting or
 *   an automatic loan repayment would otherwise make a customer who never acts look active.
 * - M: settings.rfm.monetary: the 3-month average AUM (aum_avg_3m, default) or the 12-month inflow.
 *
 * Scores: quintiles 1–5 (quintiles.ts: ties share the score of their lowest rank), R reversed so that the
 * most recent fifth scores 5. A customer with no customer-initiated transaction at all scores R = 1, as
 * does everybody when the workspace holds no transactions. A missing F or M (no source data) counts as 0.
 * The scores place a customer in the R×F grid of the screen.
 *
 * Classes: each of R, F, M is "high" or "low" by settings.rfm.split, and the pattern picks one of the 8
 * classes of rfm-actions.ts:
 * - raw_mean (default, as DESIGN.md documents): the measure against its own mean over the customers who have
 *   it. R is high when the days since the last own transaction are fewer than the mean; F and M when above
 *   their mean. The mean of a skewed measure is high, so "重要" means assets above the branch's average
 *   customer, and "recent" means more recent than the average: a class named 挽留 never holds a customer
 *   who transacted last week (issue #13: the score split had called 13 days "not recent").
 * - median: the same against the median, which halves each measure.
 * - score_mean: the quintile score against the mean score (the behaviour of the first release).
 * A customer without R (never transacted) or without M is on the low side. The split values and the
 * observed boundaries are returned as `cuts`, recorded with the run and shown on the RFM screen.
 */
import type { RfmCutPoint, RfmCuts } from '../../../../shared/analytics';
import type { Settings } from '../../../../shared/settings';
import type { FeatureTable, ScoreInputs } from '../features';
import { rfmClassOf } from './rfm-actions';
import { mean, median, quintileScores } from './quintiles';

export interface RfmResult {
  r: Uint8Array;
  f: Uint8Array;
  m: Uint8Array;
  /** RFM class code per customer (shared/analytics.ts RFM_CLASSES). */
  classes: string[];
  /** Mean R, F and M scores. */
  means: { r: number; f: number; m: number };
  cuts: RfmCuts;
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
  const frequency = inputs.activeTxnFrequency;
  const f = quintileScores(frequency);
  cancel();
  const monetary = settings.rfm.monetary === 'inflow_12m' ? inputs.inflow12m : table.columns.aum_avg_3m;
  const m = quintileScores(monetary);
  cancel();
  const means = { r: mean(r), f: mean(f), m: mean(m) };

  const split = settings.rfm.split;
  // R compares days (fewer is higher); as −days every measure is high above its split value.
  const rHigh = highSide(split === 'score_mean' ? scores(r) : recency, split, means.r);
  const fHigh = highSide(split === 'score_mean' ? scores(f) : frequency, split, means.f);
  const mHigh = highSide(split === 'score_mean' ? scores(m) : monetary, split, means.m);
  const classes = new Array<string>(n);
  for (let i = 0; i < n; i++) classes[i] = rfmClassOf(rHigh.high[i] === 1, fHigh.high[i] === 1, mHigh.high[i] === 1).code;

  const negate = (x: number | null) => (x === null ? null : x === 0 ? 0 : -x);
  const cuts: RfmCuts = {
    split,
    monetary: settings.rfm.monetary,
    frequencyMonths: settings.rfm.frequencyMonths,
    r: {
      value: split === 'score_mean' ? rHigh.value : negate(rHigh.value),
      boundary: negate(boundary(recency, rHigh.high)),
      high: rHigh.count,
    },
    f: { value: fHigh.value, boundary: boundary(frequency, fHigh.high), high: fHigh.count },
    m: { value: mHigh.value, boundary: boundary(monetary, mHigh.high), high: mHigh.count },
  };
  return { r, f, m, classes, means, cuts };
}

const scores = (s: Uint8Array) => Float64Array.from(s);

/**
 * Who is above the split value of `values` (NaN and −∞ count as missing and are low). raw_mean and
 * median are taken over the values present; score_mean is given.
 */
function highSide(values: Float64Array, split: RfmCuts['split'], scoreMean: number): { value: number | null; high: Uint8Array; count: number } {
  const present: number[] = [];
  for (const v of values) if (Number.isFinite(v)) present.push(v);
  const value = split === 'score_mean' ? scoreMean : present.length === 0 ? null : split === 'median' ? median(present) : present.reduce((a, b) => a + b, 0) / present.length;
  const high = new Uint8Array(values.length);
  let count = 0;
  if (value !== null) {
    for (let i = 0; i < values.length; i++) {
      if ((values[i] as number) > value) {
        high[i] = 1;
        count++;
      }
    }
  }
  return { value, high, count };
}

/** The least value on the high side (as given: −days for R), or null when nobody is high. */
function boundary(values: Float64Array, high: Uint8Array): RfmCutPoint['boundary'] {
  let least = Number.POSITIVE_INFINITY;
  for (let i = 0; i < values.length; i++) if (high[i] === 1 && (values[i] as number) < least) least = values[i] as number;
  return Number.isFinite(least) ? least : null;
}
