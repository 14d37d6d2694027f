/**
 * Schema changes for analytics fidelity (issue #13).
 *
 * Churn warning (§1):
 * - customer_scores.churn_expected_loss: churn probability × the 3-month average AUM (元) of the scored
 *   analysis, written by churn scoring, so that the risk list can page by "预期流失资产" off an index like it
 *   pages by probability (an index cannot span customer_scores and customer_features).
 * - customer_scores_lost: the customers of a run already 流失 or 沉睡, whom scoring leaves out and the
 *   win-back list (已流失 / 可挽回) reads. Partial, so it holds only them; queries repeat its WHERE term
 *   exactly for SQLite to use it.
 */
export const up = /* sql */ `
ALTER TABLE customer_scores ADD COLUMN churn_expected_loss REAL;
CREATE INDEX customer_scores_churn_expected_loss ON customer_scores (run_id, churn_expected_loss, customer_id);
CREATE INDEX customer_scores_lost ON customer_scores (run_id, customer_id) WHERE lifecycle_stage IN ('churned', 'dormant');
`;
