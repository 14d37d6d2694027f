import type { Db } from '../../db/workspace';

const CHURN_RISK_TAG = 'sys.churn_risk';

/**
 * Re-evaluates the 流失风险 tag of an analysis run after churn scoring wrote that run's churn bands, so the
 * tag and its coverage agree with the risk list at once instead of after the next analysis. Only this tag
 * reads the churn bands among the system tags; a run without tags (or without the tag) is left alone.
 */
export function refreshChurnRiskTag(db: Db, runId: number): void {
  const coverage = db.prepare('SELECT population FROM tag_coverage WHERE run_id = ? AND tag_id = ?').get(runId, CHURN_RISK_TAG) as { population: number } | undefined;
  if (!coverage) return;
  db.prepare('DELETE FROM customer_tags WHERE run_id = ? AND tag_id = ?').run(runId, CHURN_RISK_TAG);
  const customers = db
    .prepare("INSERT INTO customer_tags (run_id, tag_id, customer_id) SELECT run_id, ?, customer_id FROM customer_scores WHERE run_id = ? AND churn_band = 'high'")
    .run(CHURN_RISK_TAG, runId).changes;
  db.prepare('UPDATE tag_coverage SET customers = ? WHERE run_id = ? AND tag_id = ?').run(customers, runId, CHURN_RISK_TAG);
}
