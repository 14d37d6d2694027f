/**
 * Tables of product matching (issue #9).
 *
 * `recommendations` (001) keeps its columns (run_id, customer_id, product_id, rank, score, suitability,
 * reasons_json), which campaigns read for a product audience, and gains what the screens show beside the
 * score: the family, the propensity, the expected annual value, and the flags (加强提示、双录) that do not
 * exclude. The run is an analysis_runs row of kind 'matching'; the latest succeeded one is the one in use.
 *
 * The product view lists a product's customers by propensity or by propensity × value, one page at a time:
 * an index per order, run and product first.
 */
/**
 * The product view's indexes by name and definition. Scoring drops them, writes a run's rows and creates
 * them again: building an index by sorting is much faster than growing it row by row in random order.
 */
export const RECOMMENDATION_INDEXES: readonly { name: string; sql: string }[] = [
  { name: 'recommendations_product_propensity', sql: 'CREATE INDEX recommendations_product_propensity ON recommendations (run_id, product_id, propensity DESC, customer_id)' },
  { name: 'recommendations_product_priority', sql: 'CREATE INDEX recommendations_product_priority ON recommendations (run_id, product_id, priority DESC, customer_id)' },
];

export const up = /* sql */ `
ALTER TABLE recommendations ADD COLUMN family TEXT;
ALTER TABLE recommendations ADD COLUMN propensity REAL;
ALTER TABLE recommendations ADD COLUMN expected_value REAL;
ALTER TABLE recommendations ADD COLUMN priority REAL;
ALTER TABLE recommendations ADD COLUMN flags_json TEXT NOT NULL DEFAULT '[]';
${RECOMMENDATION_INDEXES.map((index) => `${index.sql};`).join('\n')}
`;
