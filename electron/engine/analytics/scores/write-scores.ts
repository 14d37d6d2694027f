/**
 * Writes the run's scores into customer_scores: one row per customer with rfm_r/f/m, rfm_class, value_tier
 * and lifecycle_stage. The columns other analyses fill (cluster_id, churn_*) stay NULL. The caller owns
 * the transaction.
 */
import type { Db } from '../../db/workspace';
import { batchInsert, type WriteHooks } from '../batch-insert';
import type { CustomerScores } from './types';

const COLUMNS = ['run_id', 'customer_id', 'rfm_r', 'rfm_f', 'rfm_m', 'rfm_class', 'value_tier', 'lifecycle_stage'] as const;

export function writeScores(db: Db, runId: number, customerIds: readonly string[], scores: CustomerScores, hooks: WriteHooks = {}): void {
  const { rfm, tiers, lifecycle } = scores;
  batchInsert(
    db,
    'customer_scores',
    COLUMNS,
    customerIds.length,
    (i, values, offset) => {
      values[offset] = runId;
      values[offset + 1] = customerIds[i];
      values[offset + 2] = rfm.r[i];
      values[offset + 3] = rfm.f[i];
      values[offset + 4] = rfm.m[i];
      values[offset + 5] = rfm.classes[i];
      values[offset + 6] = tiers[i];
      values[offset + 7] = lifecycle[i];
    },
    hooks,
  );
}
