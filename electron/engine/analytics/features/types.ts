import type { FeatureKey } from '../../../../shared/analytics';

/**
 * One wide row per customer as of a date, column-wise: customerIds[i] is the customer of row i in every
 * column. Customers are ordered by customer_id. NaN means missing (unknown), never zero.
 */
export interface FeatureTable {
  /** 'YYYY-MM-DD'. */
  asOf: string;
  customerIds: string[];
  columns: Record<FeatureKey, Float64Array>;
}

/**
 * Measures the scores need beyond the stored features, computed in the same passes over the data and with
 * the same time honesty (nothing after the as-of date). Arrays are aligned with FeatureTable.customerIds.
 */
export interface ScoreInputs {
  /** Customer-initiated transactions in (asOf − frequencyMonths months, asOf]: RFM F. */
  activeTxnFrequency: Float64Array;
  /** Customer-initiated transactions in (asOf − 90 days, asOf] and in (asOf − 180 days, asOf − 90 days]. */
  activeLast90: Float64Array;
  activePrior90: Float64Array;
  /** Sum of direction-in amounts in (asOf − 12 months, asOf]: RFM M when settings.rfm.monetary is inflow_12m. */
  inflow12m: Float64Array;
  /** Highest monthly AUM in the six balance months before the 3-month window (months M−8..M−3); NaN if none. */
  aumPeakPrior6m: Float64Array;
  /** Highest monthly AUM in any balance month up to M; NaN if none. */
  aumMaxEver: Float64Array;
  /** 1 when the customer had holdings opened by the as-of date and every one of them was closed by then. */
  allHoldingsClosed: Uint8Array;
  /** Days from open_date to the as-of date; NaN when open_date is unknown. */
  daysSinceOpen: Float64Array;
  /**
   * Whether each source has any row dated up to the as-of date. A rule that reads a source without data
   * cannot judge (Berka has no transactions: nobody is 沉睡 for want of data), and its features are NaN.
   */
  available: SourceAvailability;
  /** The latest balance month the features read ('YYYY-MM'), see lastCompleteMonth. */
  balanceMonth: string;
}

export interface SourceAvailability {
  transactions: boolean;
  balances: boolean;
  holdings: boolean;
  interactions: boolean;
}

export interface FeatureOptions {
  /** Months of RFM F (settings.rfm.frequencyMonths); widens the transaction pass when over 12. Default 12. */
  frequencyMonths?: number;
  /** Called between and inside the passes with (done, total) customers; cheap to call. */
  onProgress?: (done: number, total: number) => void;
  /** Throws to stop; called between passes and every few thousand rows. */
  throwIfCancelled?: () => void;
}

export interface FeatureResult {
  table: FeatureTable;
  inputs: ScoreInputs;
  /** Seconds per pass, for the run's timings. */
  timings: Record<string, number>;
}
