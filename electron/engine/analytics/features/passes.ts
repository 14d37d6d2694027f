/**
 * The aggregation passes over the source tables and what each produces, and the runner that fills a block
 * of customers with them. The same runner serves the sequential computation (one block: everybody) and
 * each thread of the parallel one (parallel.ts).
 */
import type { FeatureKey } from '../../../../shared/analytics';
import type { Db } from '../../db/workspace';
import { balancesAvailable, balancesPass } from './balances-pass';
import { holdingsAvailable, holdingsPass } from './holdings-pass';
import { interactionsAvailable, interactionsPass } from './interactions-pass';
import { rowTicker, type CustomerRange, type PassContext, type PassInputs } from './pass';
import { transactionsAvailable, transactionsPass } from './transactions-pass';
import type { SourceAvailability } from './types';
import type { FeatureWindows } from './windows';

export type Source = keyof SourceAvailability;

/** The features each source's pass writes; NaN for everybody when the source has no data. */
export const SOURCE_FEATURES: Readonly<Record<Source, readonly FeatureKey[]>> = {
  transactions: ['txn_count_30d', 'txn_count_90d', 'txn_count_365d', 'days_since_last_active_txn', 'mobile_share', 'counter_share', 'atm_share', 'inflow_3m', 'outflow_3m'],
  balances: ['aum_latest', 'aum_avg_3m', 'aum_avg_12m', 'aum_trend_slope_6m', 'aum_change_pct_6m', 'deposit_share', 'wealth_share', 'loan_share'],
  holdings: ['product_count', 'category_count'],
  interactions: ['complaints_12m'],
};

export const PASS_FEATURES: readonly FeatureKey[] = Object.values(SOURCE_FEATURES).flat();
export const PASS_INPUTS = ['activeTxnFrequency', 'activeLast90', 'activePrior90', 'inflow12m', 'aumPeakPrior6m', 'aumMaxEver', 'allHoldingsClosed'] as const satisfies readonly (keyof PassInputs)[];

/** Passes in the order they run, with their measured share of the time (for the progress bar). */
export const PASSES: readonly { source: Source; weight: number; available: (db: Db, w: FeatureWindows) => boolean; run: (ctx: PassContext) => void }[] = [
  { source: 'balances', weight: 3, available: balancesAvailable, run: balancesPass },
  { source: 'holdings', weight: 1, available: holdingsAvailable, run: holdingsPass },
  { source: 'interactions', weight: 0.1, available: interactionsAvailable, run: interactionsPass },
  { source: 'transactions', weight: 14, available: transactionsAvailable, run: transactionsPass },
];
export const PASSES_WEIGHT = PASSES.reduce((s, p) => s + p.weight, 0);

export function availability(db: Db, w: FeatureWindows): SourceAvailability {
  const available: SourceAvailability = { transactions: false, balances: false, holdings: false, interactions: false };
  for (const pass of PASSES) available[pass.source] = pass.available(db, w);
  return available;
}

export function newPassInputs(n: number): PassInputs {
  return {
    activeTxnFrequency: new Float64Array(n).fill(Number.NaN),
    activeLast90: new Float64Array(n).fill(Number.NaN),
    activePrior90: new Float64Array(n).fill(Number.NaN),
    inflow12m: new Float64Array(n).fill(Number.NaN),
    aumPeakPrior6m: new Float64Array(n).fill(Number.NaN),
    aumMaxEver: new Float64Array(n).fill(Number.NaN),
    allHoldingsClosed: new Uint8Array(n),
  };
}

export interface Block {
  range: CustomerRange;
  ids: readonly string[];
  index: ReadonlyMap<string, number>;
  col: Record<FeatureKey, Float64Array>;
  inputs: PassInputs;
}

export interface BlockHooks {
  /** Progress of this block as a fraction 0..1 of its passes. */
  onProgress?: (fraction: number) => void;
  cancel?: () => void;
}

/** Runs every pass over one block of customers; returns seconds per pass. */
export function runPasses(db: Db, w: FeatureWindows, block: Block, available: SourceAvailability, hooks: BlockHooks = {}): Record<Source, number> {
  const n = block.ids.length;
  const cancel = hooks.cancel ?? (() => {});
  const timings = {} as Record<Source, number>;
  let doneWeight = 0;
  for (const pass of PASSES) {
    cancel();
    const started = performance.now();
    const tick = rowTicker((rows) => {
      cancel();
      hooks.onProgress?.((doneWeight + (pass.weight * Math.min(rows, n)) / Math.max(1, n)) / PASSES_WEIGHT);
    });
    if (available[pass.source]) pass.run({ db, w, range: block.range, ids: block.ids, index: block.index, n, col: block.col, inputs: block.inputs, tick });
    else for (const key of SOURCE_FEATURES[pass.source]) block.col[key].fill(Number.NaN);
    doneWeight += pass.weight;
    hooks.onProgress?.(doneWeight / PASSES_WEIGHT);
    timings[pass.source] = (performance.now() - started) / 1000;
  }
  return timings;
}
