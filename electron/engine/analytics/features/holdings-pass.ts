/**
 * Holding features. A holding counts as held on the as-of date when opened_at ≤ asOf and closed_at is
 * empty or after the as-of date (a product closed later was still held then).
 *
 * - product_count: holdings held on the as-of date (two deposits of one product opened on different days
 *   are two holdings, as the bank books them).
 * - category_count: distinct products.category among them; a holding whose product is not in the product
 *   register counts as a product but adds no category.
 *
 * For the scores: whether the customer had holdings opened by the as-of date and none of them is still held
 * (流失: all accounts closed). A customer with no holdings at all is not "all closed": there is nothing to
 * close, and a branch without a holdings file would otherwise be all churned.
 *
 * Query plan: the primary key (customer_id, product_id, opened_at) is walked in order; products are looked
 * up by primary key.
 */
import type { Db } from '../../db/workspace';
import { num, rangeParams, rangeSql, type CustomerRange, type PassContext } from './pass';
import type { FeatureWindows } from './windows';

const sql = (range: CustomerRange) => `SELECT h.customer_id,
  count(*) FILTER (WHERE h.closed_at IS NULL OR h.closed_at > @asOf),
  count(DISTINCT p.category) FILTER (WHERE h.closed_at IS NULL OR h.closed_at > @asOf),
  count(*)
FROM holdings h LEFT JOIN products p ON p.product_id = h.product_id
WHERE h.opened_at <= @asOf${rangeSql(range, 'h.customer_id')}
GROUP BY h.customer_id
ORDER BY h.customer_id`;

const ANY_SQL = 'SELECT EXISTS (SELECT 1 FROM holdings WHERE opened_at <= ?) AS found';

export function holdingsAvailable(db: Db, w: FeatureWindows): boolean {
  return (db.prepare(ANY_SQL).get(w.asOf) as { found: number }).found === 1;
}

export function holdingsPass(ctx: PassContext): void {
  const { db, w, range, index, col, inputs, tick } = ctx;
  col.product_count.fill(0);
  col.category_count.fill(0);
  const iterator = db.prepare(sql(range)).raw().iterate({ asOf: w.asOf, ...rangeParams(range) }) as IterableIterator<[string, number, number, number]>;
  for (const r of iterator) {
    tick();
    const i = index.get(r[0]);
    if (i === undefined) continue;
    const held = num(r[1]);
    col.product_count[i] = held;
    col.category_count[i] = num(r[2]);
    inputs.allHoldingsClosed[i] = held === 0 && num(r[3]) > 0 ? 1 : 0;
  }
}
