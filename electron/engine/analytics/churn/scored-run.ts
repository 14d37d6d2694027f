/**
 * Which customer analysis the churn screens show: the one the latest succeeded scoring ('churn_score' run)
 * wrote its probabilities into. A newer analysis that has not been scored yet does not hide the warning
 * list; the list then shows the last scored as-of date until the analyst scores again.
 */
import type { Db } from '../../db/workspace';

export interface ScoredRun {
  /** The 'churn_score' run. */
  scoreRunId: number;
  /** Its metrics_json (the ChurnScoreSummary of score.ts) and params_json, parsed. */
  metrics: Record<string, unknown>;
  params: Record<string, unknown>;
  /** The customer analysis run whose customer_scores rows hold churn_prob. */
  analysisRunId: number;
  modelId: number;
  asOf: string | null;
  /** Whether that run also wrote customer_features (it does, unless the rows were removed since). */
  hasFeatures: boolean;
}

export function latestScoredRun(db: Db): ScoredRun | null {
  const rows = db
    .prepare("SELECT run_id, params_json, metrics_json, as_of FROM analysis_runs WHERE kind = 'churn_score' AND status = 'succeeded' ORDER BY run_id DESC LIMIT 20")
    .all() as { run_id: number; params_json: string; metrics_json: string | null; as_of: string | null }[];
  for (const row of rows) {
    const params = JSON.parse(row.params_json) as { analysisRunId?: unknown; modelId?: unknown };
    if (typeof params.analysisRunId !== 'number' || typeof params.modelId !== 'number') continue;
    // The analysis may have been deleted since (its rows go with it).
    const scored = db.prepare('SELECT 1 FROM customer_scores INDEXED BY customer_scores_churn WHERE run_id = ? AND churn_prob IS NOT NULL LIMIT 1').get(params.analysisRunId);
    if (!scored) continue;
    const hasFeatures = db.prepare('SELECT 1 FROM customer_features WHERE run_id = ? LIMIT 1').get(params.analysisRunId) !== undefined;
    const metrics = (row.metrics_json ? JSON.parse(row.metrics_json) : {}) as Record<string, unknown>;
    return { scoreRunId: row.run_id, metrics, params, analysisRunId: params.analysisRunId, modelId: params.modelId, asOf: row.as_of, hasFeatures };
  }
  return null;
}
