/**
 * One window of product matching: the customers as of the feature date with their features (the analytics
 * core's computeFeatures, from data up to that date only) and holding facts, and the products each opened in
 * the window after it. From it, per model unit, the rows that could have become new holders (customers who
 * did not hold the unit on the feature date) and whether they did (issue #9 §2, the label).
 */
import type { JobContext } from '../context';
import type { Db } from '../db/workspace';
import { computeFeatureResultParallel, type FeatureTable } from '../analytics/features/index';
import { readSettings } from '../settings-store';
import type { ModelUnit } from './families';
import { holdingFacts, newHoldings, type HoldingFacts } from './holding-facts';
import { indexOf, type CoreColumns } from './match-features';
import type { MatchWindow } from './period';

export interface WindowData {
  readonly window: MatchWindow;
  readonly customerIds: readonly string[];
  readonly core: CoreColumns;
  readonly facts: HoldingFacts;
  /** Products opened in (featuresAsOf, labelTo], per row (undefined: none). */
  readonly opened: readonly (ReadonlySet<string> | undefined)[];
}

/** Features as of a date; the analytics core unless a test wraps it (the leak test records the dates asked). */
export type MatchFeatureSource = (db: Db, asOf: string, ctx: JobContext) => Promise<FeatureTable>;

export const coreFeatureSource: MatchFeatureSource = async (db, asOf, ctx) => {
  const result = await computeFeatureResultParallel(db, asOf, {
    // The same options the customer analysis passes, so that training and scoring see the same features.
    frequencyMonths: readSettings(db).rfm.frequencyMonths,
    onProgress: (done, total) => ctx.progress(`计算 ${asOf} 的客户特征`, done, total),
    throwIfCancelled: () => ctx.throwIfCancelled(),
  });
  return result.table;
};

export async function loadWindow(
  ctx: JobContext,
  features: MatchFeatureSource,
  window: MatchWindow,
  categories: readonly string[],
  horizonMonths: number,
): Promise<WindowData> {
  const db = ctx.db();
  const table = await features(db, window.featuresAsOf, ctx);
  if (table.asOf !== window.featuresAsOf) throw new Error(`The feature source returned features as of ${table.asOf}, asked for ${window.featuresAsOf}.`);
  ctx.throwIfCancelled();
  const index = indexOf(table);
  const facts = holdingFacts(db, window.featuresAsOf, index, categories, horizonMonths);
  const opened: (Set<string> | undefined)[] = new Array(table.customerIds.length);
  for (const [customerId, products] of newHoldings(db, window.featuresAsOf, window.labelTo)) {
    const i = index.get(customerId);
    if (i !== undefined) opened[i] = products;
  }
  return { window, customerIds: table.customerIds, core: table.columns, facts, opened };
}

export interface UnitLabels {
  /** Rows of the window's customers who did not hold the unit on the feature date. */
  readonly rows: Int32Array;
  /** 1 where that customer opened a product of the unit in the window. */
  readonly y: Float64Array;
  readonly positives: number;
}

/** Whether row i holds the unit on the feature date. */
export function holdsUnit(data: Pick<WindowData, 'facts'>, unit: ModelUnit, i: number): boolean {
  if (unit.kind === 'family') return data.facts.heldCategory.get(unit.category)?.[i] === 1;
  return data.facts.heldProducts[i]?.includes(unit.productIds[0]!) ?? false;
}

export function unitLabels(data: WindowData, unit: ModelUnit): UnitLabels {
  const n = data.customerIds.length;
  const rows: number[] = [];
  const y: number[] = [];
  let positives = 0;
  const products = unit.productIds;
  for (let i = 0; i < n; i++) {
    if (holdsUnit(data, unit, i)) continue;
    const opened = data.opened[i];
    const label = opened !== undefined && products.some((p) => opened.has(p)) ? 1 : 0;
    rows.push(i);
    y.push(label);
    positives += label;
  }
  return { rows: Int32Array.from(rows), y: Float64Array.from(y), positives };
}
