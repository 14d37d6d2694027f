/**
 * `customer_summary` (migration 2): per-customer figures the customer list shows and sorts by, kept in a
 * table of their own because an index cannot span the join to `balances`.
 *
 * The figures are as of the workspace's latest balance month M:
 * - aum_latest: the customer's AUM in M (NULL when the customer has no balance row for M);
 * - aum_avg_3m: the average of the customer's AUM rows in M-2..M (NULL when there are none), the basis of
 *   value tiers in DESIGN.md §4.
 */
import type { Db } from '../db/workspace';

/**
 * Recomputes every customer's summary from `balances`, in one transaction, and refreshes the planner's
 * statistics for the list's indexes. Call it after an import of customers or balances commits. A few
 * seconds on a million customers; the query worker keeps seeing the previous summary until commit.
 */
export function refreshCustomerSummary(db: Db, now: Date = new Date()): { customers: number; month: string | null } {
  const month = (db.prepare('SELECT max(month) AS m FROM balances').get() as { m: string | null }).m;
  const firstMonth = month === null ? null : shiftMonth(month, -2);
  const count = db.transaction(() => {
    db.prepare('DELETE FROM customer_summary').run();
    // Correlated lookups on the (customer_id, month) primary key: three rows read per customer, no sort of
    // the whole balance table as a GROUP BY would need.
    return db
      .prepare(
        `INSERT INTO customer_summary (customer_id, balance_month, aum_latest, aum_avg_3m, refreshed_at)
         SELECT c.customer_id, @month,
           (SELECT b.aum FROM balances b WHERE b.customer_id = c.customer_id AND b.month = @month),
           (SELECT avg(b.aum) FROM balances b WHERE b.customer_id = c.customer_id AND b.month BETWEEN @firstMonth AND @month),
           @now
         FROM customers c`,
      )
      .run({ month, firstMonth, now: now.toISOString() }).changes;
  }).immediate();
  // Statistics let the planner pick a filter's index over walking the sort order when matches are rare
  // (see keyset.ts). A full ANALYZE: a sampled one (analysis_limit) misjudges five risk levels as
  // thousands of values. About two seconds on a million customers.
  db.exec('ANALYZE customers; ANALYZE customer_summary');
  return { customers: count, month };
}

/** 'YYYY-MM' moved by `delta` months. */
export function shiftMonth(month: string, delta: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + delta;
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}
