/**
 * What every aggregation pass shares: the customers (index by customer_id), the windows, the output arrays,
 * and a row hook that reports progress and honours cancellation while SQL streams its result.
 */
import type { FeatureKey } from '../../../../shared/analytics';
import type { Db } from '../../db/workspace';
import type { ScoreInputs } from './types';
import type { FeatureWindows } from './windows';

/**
 * A contiguous block of customers by customer_id, [from, to): a parallel run gives each thread one; null
 * bounds are open. The sequential run has both null and reads every customer.
 */
export interface CustomerRange {
  from: string | null;
  to: string | null;
}

/** The measures the passes fill besides the features. */
export type PassInputs = Pick<ScoreInputs, 'activeTxnFrequency' | 'activeLast90' | 'activePrior90' | 'inflow12m' | 'aumPeakPrior6m' | 'aumMaxEver' | 'allHoldingsClosed'>;

export interface PassContext {
  db: Db;
  w: FeatureWindows;
  range: CustomerRange;
  /** Customers in row order. */
  ids: readonly string[];
  /** customer_id → row index; customers opened after the as-of date are absent, and their rows skipped. */
  index: ReadonlyMap<string, number>;
  n: number;
  col: Record<FeatureKey, Float64Array>;
  inputs: PassInputs;
  /** Call once per result row; every few thousand rows it reports progress and checks for cancellation. */
  tick(): void;
}

/**
 * ` AND <column> >= @rangeFrom AND <column> < @rangeTo` for the bounds the range has (bound as named
 * parameters; the column name is the caller's constant). A range on the leading key column lets every
 * pass seek straight to its block instead of filtering a full scan.
 */
export function rangeSql(range: CustomerRange, column: string): string {
  return `${range.from !== null ? ` AND ${column} >= @rangeFrom` : ''}${range.to !== null ? ` AND ${column} < @rangeTo` : ''}`;
}

export function rangeParams(range: CustomerRange): { rangeFrom?: string; rangeTo?: string } {
  return { ...(range.from !== null ? { rangeFrom: range.from } : {}), ...(range.to !== null ? { rangeTo: range.to } : {}) };
}

const CHECK_EVERY = 4096;

export function rowTicker(onRow: (rows: number) => void): () => void {
  let rows = 0;
  return () => {
    rows++;
    if ((rows & (CHECK_EVERY - 1)) === 0) onRow(rows);
  };
}

/** SQL NULL (and undefined) as NaN, numbers as they are. */
export const num = (value: unknown): number => (typeof value === 'number' ? value : value === null || value === undefined ? Number.NaN : Number(value));
