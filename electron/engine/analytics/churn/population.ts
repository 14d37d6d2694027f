/**
 * Who the churn warning is for (DESIGN.md §4, issue #13 §1): the population the model was trained for.
 *
 * Training labels only customers who were neither 流失 nor 沉睡 at the feature date (labels.ts), so scoring
 * scores only the customers of the analysis run whose lifecycle stage is neither at the as-of date. The
 * stage is the run's own (scores/lifecycle.ts), so the lifecycle chart, the risk list and the win-back list
 * count the same customers. Customers already lost get no probability: they are listed apart
 * (lost-list.ts), 流失 as 已流失 and 沉睡 as 可挽回.
 */
import { LOST_STAGES, type LostStage } from '../../../../shared/churn';
import type { Db } from '../../db/workspace';

/**
 * `('churned', 'dormant')`: the WHERE term of the partial index customer_scores_lost (migration 4), which a
 * query must repeat word for word for SQLite to use the index. Built from constants, never from a request.
 */
export const LOST_STAGES_SQL = `(${LOST_STAGES.map((stage) => `'${stage}'`).join(', ')})`;

/** A customer_features row `f` of the scored population (not already lost in its run). */
export const IN_POPULATION_SQL = `NOT EXISTS (SELECT 1 FROM customer_scores lost WHERE lost.run_id = f.run_id AND lost.customer_id = f.customer_id AND lost.lifecycle_stage IN ${LOST_STAGES_SQL})`;

/** Customers of the run already lost, by stage. */
export function countLost(db: Db, runId: number): Record<LostStage, number> {
  const rows = db
    .prepare(`SELECT lifecycle_stage AS stage, count(*) AS n FROM customer_scores WHERE run_id = ? AND lifecycle_stage IN ${LOST_STAGES_SQL} GROUP BY lifecycle_stage`)
    .all(runId) as { stage: LostStage; n: number }[];
  const counts: Record<LostStage, number> = { churned: 0, dormant: 0 };
  for (const row of rows) counts[row.stage] = row.n;
  return counts;
}
