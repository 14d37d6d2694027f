/**
 * Tables of the tag system and K-means segmentation (issue #4).
 *
 * `cluster_assignments` holds the cluster of every customer for one segmentation run (analysis_runs.kind
 * 'segmentation'). The assignments get a table of their own rather than living only in
 * customer_scores.cluster_id: those rows belong to a customer-analysis run, and a second clustering with
 * other features would otherwise overwrite the first before the analyst has decided which to save as
 * segments. (The latest clustering is also copied into customer_scores.cluster_id of the latest
 * customer-analysis run, so that rules and the customer list can filter on it.)
 *
 * `tag_coverage` keeps the customers per tag of each tag run, with the population they are a share of.
 * The tag screen lists ~60 tags with coverage; counting them from customer_tags means walking some two
 * million rows on a 200,000-customer branch, far too slow for the query worker, while the counts are known
 * for free when the tags are written.
 */
export const up = /* sql */ `
CREATE TABLE cluster_assignments (
  run_id INTEGER NOT NULL REFERENCES analysis_runs (run_id) ON DELETE CASCADE,
  customer_id TEXT NOT NULL,
  cluster INTEGER NOT NULL,
  PRIMARY KEY (run_id, customer_id)
) WITHOUT ROWID;

CREATE TABLE tag_coverage (
  run_id INTEGER NOT NULL REFERENCES analysis_runs (run_id) ON DELETE CASCADE,
  tag_id TEXT NOT NULL REFERENCES tags (tag_id) ON DELETE CASCADE,
  customers INTEGER NOT NULL,
  -- Customers the tag was evaluated over (those who were customers on the run's as-of date).
  population INTEGER NOT NULL,
  PRIMARY KEY (run_id, tag_id)
) WITHOUT ROWID;
`;
