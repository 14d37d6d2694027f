/**
 * Writes a FeatureTable into customer_features under a run; NaN is written as NULL. The caller owns the
 * transaction: runAnalysis writes features, scores and tags in one, so that a cancelled run leaves nothing.
 */
import { FEATURE_KEYS } from '../../../../shared/analytics';
import type { Db } from '../../db/workspace';
import { batchInsert, orNull, type WriteHooks } from '../batch-insert';
import type { FeatureTable } from './types';

const COLUMNS = ['run_id', 'customer_id', 'as_of', ...FEATURE_KEYS];

export function writeFeatures(db: Db, runId: number, table: FeatureTable, hooks: WriteHooks = {}): void {
  const columns = FEATURE_KEYS.map((key) => table.columns[key]);
  batchInsert(
    db,
    'customer_features',
    COLUMNS,
    table.customerIds.length,
    (i, values, offset) => {
      values[offset] = runId;
      values[offset + 1] = table.customerIds[i];
      values[offset + 2] = table.asOf;
      for (let c = 0; c < columns.length; c++) values[offset + 3 + c] = orNull((columns[c] as Float64Array)[i] as number);
    },
    hooks,
  );
}
