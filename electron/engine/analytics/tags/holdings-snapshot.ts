/**
 * The holdings of every customer on a run's as-of date, gathered once per tag computation into one
 * temporary row per customer: the product categories held (a bit per category) and the highest product
 * risk rating held. A dozen tags ask "holds a product of category X" and one asks about product risk;
 * answering each from `holdings` would walk the table a dozen times, while this row is joined once to
 * the customers (alias `th`, see tag-writer.ts) and each tag is a bit test.
 *
 * Temporary tables live on the connection that made them (the job worker's) and go with the drop.
 */
import { PRODUCT_CATEGORIES } from '../../../../shared/dictionary';
import type { SqlFragment } from '../../../../shared/rule-fields';
import type { Db } from '../../db/workspace';

/** The join predicates use, by the alias `th`; customers without active holdings have no row. */
export const HOLDINGS_JOIN: SqlFragment = { sql: 'LEFT JOIN temp.tag_holdings th ON th.customer_id = c.customer_id', params: [] };

/** The bit of a product category in th.held (categories of the dictionary only). */
export function categoryBit(category: string): number {
  const i = (PRODUCT_CATEGORIES as readonly string[]).indexOf(category);
  if (i < 0) throw new Error(`unknown product category ${category}`);
  return 2 ** i;
}

export function createHoldingsSnapshot(db: Db, asOf: string): void {
  dropHoldingsSnapshot(db);
  db.exec('CREATE TEMP TABLE tag_holdings (customer_id TEXT PRIMARY KEY, held INTEGER NOT NULL, max_risk INTEGER) WITHOUT ROWID');
  const bit = `CASE p.category ${PRODUCT_CATEGORIES.map(() => 'WHEN ? THEN ?').join(' ')} ELSE 0 END`;
  // holdings is read in primary-key order, so grouping by customer needs no sort; sum(DISTINCT bit) is the
  // bitwise OR of the categories held. Held on the as-of date: opened by then and not closed by then (a
  // closing after it is in the future).
  db.prepare(
    `INSERT INTO temp.tag_holdings (customer_id, held, max_risk)
     SELECT h.customer_id, sum(DISTINCT ${bit}), max(CAST(substr(p.risk_rating, 2) AS INTEGER))
     FROM holdings h JOIN products p ON p.product_id = h.product_id
     WHERE h.opened_at <= ? AND (h.closed_at IS NULL OR h.closed_at > ?)
     GROUP BY h.customer_id`,
  ).run(...PRODUCT_CATEGORIES.flatMap((category) => [category, categoryBit(category)]), asOf, asOf);
}

export function dropHoldingsSnapshot(db: Db): void {
  db.exec('DROP TABLE IF EXISTS temp.tag_holdings');
}
