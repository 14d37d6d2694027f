import type { Db } from '../../db/workspace';

const CHURN_RISK_TAG = 'sys.churn_risk';

/**
 * Re-evaluates the 流失风险 tag of an analysis run after churn scoring wrote that run's churn bands, so the
 * tag, its coverage and the run's stored tag counts (analysis_runs.metrics_json counts.tags) agree with the
 * risk list at once instead of after the next analysis. Only this tag reads the churn bands among the system
 * tags; a run without tags (or without the tag) is left alone. Scoring gives customers already lost no band,
 * so they never carry the tag.
 */
export function refreshChurnRiskTag(db: Db, runId: number): void {
  const coverage = db.prepare('SELECT population FROM tag_coverage WHERE run_id = ? AND tag_id = ?').get(runId, CHURN_RISK_TAG) as { population: number } | undefined;
  if (!coverage) return;
  db.prepare('DELETE FROM customer_tags WHERE run_id = ? AND tag_id = ?').run(runId, CHURN_RISK_TAG);
  const customers = db
    .prepare("INSERT INTO customer_tags (run_id, tag_id, customer_id) SELECT run_id, ?, customer_id FROM customer_scores WHERE run_id = ? AND churn_band = 'high'")
    .run(CHURN_RISK_TAG, runId).changes;
  db.prepare('UPDATE tag_coverage SET customers = ? WHERE run_id = ? AND tag_id = ?').run(customers, runId, CHURN_RISK_TAG);
  // The tag id holds a dot, so the JSON path quotes it.
  db.prepare(
    `UPDATE analysis_runs SET metrics_json = json_set(metrics_json, '$.counts.tags."${CHURN_RISK_TAG}"', ?)
     WHERE run_id = ? AND json_type(metrics_json, '$.counts.tags') = 'object'`,
  ).run(customers, runId);
}
