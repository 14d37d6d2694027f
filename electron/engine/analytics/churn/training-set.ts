/**
 * The rows a churn forest learns from or is tested on: the features of the labelled population as of F,
 * aligned by customer, as the forest's column matrix. Features come only from the analytics core's
 * computeFeatures(db, F), a pure function of the data up to F, and only the columns that can be known at
 * F (TRAINING_FEATURE_KEYS: no feature of a latest-value field); the label comes from labels.ts.
 */
import type { FeatureKey } from '../../../../shared/analytics';
import type { Settings } from '../../../../shared/settings';
import type { JobContext } from '../../context';
import type { Db } from '../../db/workspace';
import type { FeatureTable } from '../features/index';
import { TRAINING_FEATURE_KEYS } from '../features/latest-value';
import { createColumnMatrix, type ColumnMatrix } from '../forest/index';
import { churnLabels, type ChurnLabelCounts } from './labels';
import type { ChurnPeriod } from './period';

/** Features as of a date; the production source is the analytics core, tests may wrap it. */
export type FeatureSource = (db: Db, asOf: string, ctx: JobContext) => FeatureTable;

export interface ChurnTrainingSet {
  readonly period: ChurnPeriod;
  readonly customerIds: string[];
  readonly X: ColumnMatrix;
  readonly y: Float64Array;
  readonly labelCounts: ChurnLabelCounts;
  readonly featureKeys: readonly FeatureKey[];
}

/** Rows of `table` for `ids` (customers without a feature row are dropped), as a column matrix. */
export function featureMatrix(table: FeatureTable, ids: readonly string[], keys: readonly FeatureKey[] = TRAINING_FEATURE_KEYS): { X: ColumnMatrix; kept: number[] } {
  const rowOf = new Map<string, number>();
  table.customerIds.forEach((id, row) => rowOf.set(id, row));
  const kept: number[] = [];
  const rows: number[] = [];
  ids.forEach((id, i) => {
    const row = rowOf.get(id);
    if (row !== undefined) {
      kept.push(i);
      rows.push(row);
    }
  });
  const X = createColumnMatrix(rows.length, keys.length);
  keys.forEach((key, c) => {
    const column = table.columns[key];
    const base = c * rows.length;
    for (let i = 0; i < rows.length; i++) X.data[base + i] = column[rows[i]!]!;
  });
  return { X, kept };
}

export function buildTrainingSet(ctx: JobContext, features: FeatureSource, period: ChurnPeriod, settings: Settings, phase: string): ChurnTrainingSet {
  const db = ctx.db();
  ctx.progress(phase, 0, 2);
  const labels = churnLabels(db, period, settings);
  ctx.throwIfCancelled();
  ctx.progress(phase, 1, 2);
  const table = features(db, period.featuresAsOf, ctx);
  if (table.asOf !== period.featuresAsOf) throw new Error(`computeFeatures returned features as of ${table.asOf}, asked for ${period.featuresAsOf}`);
  ctx.throwIfCancelled();
  const { X, kept } = featureMatrix(table, labels.customerIds, TRAINING_FEATURE_KEYS);
  const y = Float64Array.from(kept, (i) => labels.y[i]!);
  const positives = y.reduce((sum, v) => sum + v, 0);
  ctx.progress(phase, 2, 2);
  return {
    period,
    customerIds: kept.map((i) => labels.customerIds[i]!),
    X,
    y,
    labelCounts: { ...labels.counts, eligible: kept.length, positives },
    featureKeys: TRAINING_FEATURE_KEYS,
  };
}
