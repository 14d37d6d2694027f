/**
 * The churn model's only way to features: the analytics core's computeFeatures, as of a date, from data up
 * to that date only (features/compute-features.ts). Training asks for T − h (and T − 2h); scoring reads the
 * features a customer analysis already stored for T.
 */
import type { JobContext } from '../../context';
import type { Db } from '../../db/workspace';
import { readSettings } from '../../settings-store';
import { computeFeatures, type FeatureTable } from '../features/index';

export function computeFeatureTable(db: Db, asOf: string, ctx: JobContext): FeatureTable {
  return computeFeatures(db, asOf, {
    // The same options the customer analysis passes, so that training and scoring see the same features.
    frequencyMonths: readSettings(db).rfm.frequencyMonths,
    onProgress: (done, total) => ctx.progress(`计算 ${asOf} 的客户特征`, done, total),
    throwIfCancelled: () => ctx.throwIfCancelled(),
  });
}
