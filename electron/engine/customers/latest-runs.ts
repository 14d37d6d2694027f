/**
 * Which analysis results the customer screens read: for each derived table, the latest succeeded run that
 * wrote rows to it. Looking at the rows rather than at `analysis_runs.kind` keeps this independent of how
 * the analysis jobs name their kinds, and a run that failed half-way never shows.
 */
import type { Db } from '../db/workspace';

export interface LatestRuns {
  featureRunId: number | null;
  scoreRunId: number | null;
  tagRunId: number | null;
  /** as_of of the score run ('YYYY-MM-DD' or null). */
  scoreAsOf: string | null;
}

/** Each probe is one EXISTS on the leading run_id column of the table's primary key. */
const LATEST_WITH_ROWS = {
  features: `SELECT max(r.run_id) AS id FROM analysis_runs r WHERE r.status = 'succeeded' AND EXISTS (SELECT 1 FROM customer_features x WHERE x.run_id = r.run_id)`,
  scores: `SELECT max(r.run_id) AS id FROM analysis_runs r WHERE r.status = 'succeeded' AND EXISTS (SELECT 1 FROM customer_scores x WHERE x.run_id = r.run_id)`,
  tags: `SELECT max(r.run_id) AS id FROM analysis_runs r WHERE r.status = 'succeeded' AND EXISTS (SELECT 1 FROM customer_tags x WHERE x.run_id = r.run_id)`,
} as const;

export function latestRuns(db: Db): LatestRuns {
  const id = (sql: string) => (db.prepare(sql).get() as { id: number | null }).id;
  const scoreRunId = id(LATEST_WITH_ROWS.scores);
  const scoreAsOf = scoreRunId === null ? null : ((db.prepare('SELECT as_of FROM analysis_runs WHERE run_id = ?').get(scoreRunId) as { as_of: string | null }).as_of ?? null);
  return { featureRunId: id(LATEST_WITH_ROWS.features), scoreRunId, tagRunId: id(LATEST_WITH_ROWS.tags), scoreAsOf };
}
