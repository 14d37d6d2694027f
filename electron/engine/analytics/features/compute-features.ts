/**
 * Features as of a date (issue #4, DESIGN.md §4): one wide row per customer, computed from data dated up
 * to the as-of date only, so that the churn model can ask for T − h and get exactly what was known then.
 *
 * A pure function of (workspace contents, asOf, frequencyMonths): it only reads. SQL does the heavy
 * aggregation, one pass per source table with conditional aggregates over the windows of windows.ts, one
 * row per customer out; the rows land in Float64Arrays by customer index. Each pass documents its
 * features in its own file:
 *   customers-pass.ts     age, tenure_months, months_since_risk_assessment (and who is in the table)
 *   balances-pass.ts      aum_*, *_share
 *   holdings-pass.ts      product_count, category_count
 *   transactions-pass.ts  txn_count_*, days_since_last_active_txn, channel shares, inflow/outflow
 *   interactions-pass.ts  complaints_12m
 *
 * Missing values: when a source has no row dated up to the as-of date at all (Berka has no transactions
 * and no balances), its features are NaN for everybody: the data cannot tell. When the source has data, a
 * customer without rows gets 0 for counts and sums (he did nothing) and NaN for levels and ratios (an AUM
 * or a share of nothing is unknown).
 *
 * This is the sequential computation, synchronous and on the caller's connection. parallel.ts splits the
 * same passes over threads for large branches and returns the identical table.
 */
import type { Db } from '../../db/workspace';
import { loadCustomers, type CustomerRows } from './customers-pass';
import { rowTicker, type PassInputs } from './pass';
import { availability, newPassInputs, runPasses } from './passes';
import type { FeatureOptions, FeatureResult, FeatureTable, SourceAvailability } from './types';
import { featureWindows, type FeatureWindows } from './windows';

/** Share of the progress bar for reading the customers; the passes take the rest. */
export const CUSTOMERS_SHARE = 0.05;

/** The stored features as of `asOf` ('YYYY-MM-DD'). */
export function computeFeatures(db: Db, asOf: string, options: FeatureOptions = {}): FeatureTable {
  return computeFeatureResult(db, asOf, options).table;
}

/** The features together with the measures the scores need (one set of passes for both). */
export function computeFeatureResult(db: Db, asOf: string, options: FeatureOptions = {}): FeatureResult {
  const w = featureWindows(asOf, options.frequencyMonths ?? 12);
  const cancel = options.throwIfCancelled ?? (() => {});
  const onProgress = options.onProgress ?? (() => {});
  // Reading everything inside one transaction gives every pass the same snapshot of the workspace, even
  // while another connection writes.
  const read = db.transaction((): FeatureResult => {
    const { customers, available, seconds } = readCustomers(db, w, cancel);
    const n = customers.ids.length;
    const inputs = newPassInputs(n);
    const passSeconds = runPasses(db, w, { range: { from: null, to: null }, ids: customers.ids, index: customers.index, col: customers.col, inputs }, available, {
      cancel,
      onProgress: (fraction) => onProgress(Math.round((CUSTOMERS_SHARE + (1 - CUSTOMERS_SHARE) * fraction) * n), n),
    });
    return assemble(w, customers, inputs, available, { customers: seconds, ...passSeconds });
  });
  return read.deferred();
}

/** The population with its profile features, and which sources hold data up to the as-of date. */
export function readCustomers(db: Db, w: FeatureWindows, cancel: () => void): { customers: CustomerRows; available: SourceAvailability; seconds: number } {
  const started = performance.now();
  const customers = loadCustomers(db, w.asOf, rowTicker(cancel));
  const available = availability(db, w);
  return { customers, available, seconds: (performance.now() - started) / 1000 };
}

export function assemble(w: FeatureWindows, customers: CustomerRows, inputs: PassInputs, available: SourceAvailability, timings: Record<string, number>): FeatureResult {
  return {
    table: { asOf: w.asOf, customerIds: customers.ids, columns: customers.col },
    inputs: { ...inputs, daysSinceOpen: customers.daysSinceOpen, available, balanceMonth: w.balanceMonths[0] as string },
    timings,
  };
}
