/**
 * complaints_12m: interactions of kind 'complaint' dated in (asOf − 12 months, asOf].
 *
 * Query plan: interactions_kind_date (kind, date) gives the complaints of the window by range; the few
 * thousand rows are grouped with a small sort.
 */
import type { Db } from '../../db/workspace';
import { rangeParams, rangeSql, type CustomerRange, type PassContext } from './pass';
import type { FeatureWindows } from './windows';

const sql = (range: CustomerRange) => `SELECT customer_id, count(*) FROM interactions
WHERE kind = 'complaint' AND date > @from AND date <= @asOf${rangeSql(range, 'customer_id')}
GROUP BY customer_id`;

const ANY_SQL = 'SELECT EXISTS (SELECT 1 FROM interactions WHERE date <= ?) AS found';

export function interactionsAvailable(db: Db, w: FeatureWindows): boolean {
  return (db.prepare(ANY_SQL).get(w.asOf) as { found: number }).found === 1;
}

export function interactionsPass(ctx: PassContext): void {
  const { db, w, range, index, col, tick } = ctx;
  col.complaints_12m.fill(0);
  const iterator = db.prepare(sql(range)).raw().iterate({ from: w.months12, asOf: w.asOf, ...rangeParams(range) }) as IterableIterator<[string, number]>;
  for (const [id, count] of iterator) {
    tick();
    const i = index.get(id);
    if (i !== undefined) col.complaints_12m[i] = count;
  }
}
