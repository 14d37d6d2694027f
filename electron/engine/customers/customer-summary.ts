/**
 * Keeps the customer list's derived tables (migration 2) in step with the data, in bulk after imports:
 *
 * - `customer_summary`: figures the list shows and sorts by, as of the workspace's latest balance month M:
 *   aum_latest is the customer's AUM in M (NULL without a balance row for M); aum_avg_3m the average of the
 *   customer's AUM rows in M-2..M (NULL when there are none), the basis of value tiers in DESIGN.md §4.
 * - `customer_name_chars`: the characters of each name, for name search; only customers whose name changed
 *   since the last refresh (summary.name_indexed) are re-indexed.
 *
 * Until a refresh, a new customer sorts with the unknown AUMs and is not found by name (customer number
 * search works at once). Calling it inside the import's transaction closes even that gap.
 */
import type { Db } from '../db/workspace';
import { deferIndexesIfEmpty } from '../import/bulk-load';

export interface RefreshResult {
  /** Summary rows written (new customers, changed figures or names). */
  changed: number;
  /** Customers whose name characters were (re)indexed. */
  renamed: number;
  /** The latest balance month, or null without balances. */
  month: string | null;
}

/** Customers whose indexed name is not their name: new, renamed, or whose name was cleared. */
const RENAMED = `
  SELECT c.customer_id, c.name, s.name_indexed AS old_name
  FROM customers c LEFT JOIN customer_summary s ON s.customer_id = c.customer_id
  WHERE s.customer_id IS NULL OR s.name_indexed IS NOT c.name`;

/**
 * Refreshes both tables in one transaction (the query worker sees the previous state until it commits) and
 * the planner's statistics of the list's indexes. Call it after an import of customers or balances. On a
 * million customers: a few seconds when little changed, some twenty after the first load.
 */
export function refreshCustomerSummary(db: Db, now: Date = new Date()): RefreshResult {
  const month = (db.prepare('SELECT max(month) AS m FROM balances').get() as { m: string | null }).m;
  const firstMonth = month === null ? null : shiftMonth(month, -2);
  const result = db.transaction((): RefreshResult => {
    // Characters of the old names go first (their rows are found by key), then the new names' are added
    // in key order, which is several times faster than inserting them as they come.
    db.exec(`CREATE TEMP TABLE renamed AS ${RENAMED}`);
    try {
      db.prepare(
        `DELETE FROM customer_name_chars WHERE (ch, customer_id) IN (
           SELECT lower(substr(r.old_name, p.n, 1)), r.customer_id FROM temp.renamed r JOIN char_positions p ON p.n <= length(r.old_name)
           WHERE r.old_name IS NOT NULL)`,
      ).run();
      db.prepare(
        `INSERT OR IGNORE INTO customer_name_chars (ch, customer_id)
         SELECT lower(substr(r.name, p.n, 1)), r.customer_id FROM temp.renamed r JOIN char_positions p ON p.n <= length(r.name)
         WHERE r.name IS NOT NULL ORDER BY 1, 2`,
      ).run();
      const renamed = (db.prepare('SELECT count(*) AS n FROM temp.renamed').get() as { n: number }).n;
      // Correlated lookups on the (customer_id, month) primary key read three rows per customer and need no
      // sort of the balance table. Only rows that changed are written: rewriting a million rows and their
      // indexes costs ten times as long as computing them. Into an empty summary (the first load) the two
      // AUM indexes are built once afterwards, as the importer does for its tables.
      const recreateIndexes = deferIndexesIfEmpty(db, 'customer_summary');
      const changed = db
        .prepare(
          `INSERT INTO customer_summary (customer_id, balance_month, aum_latest, aum_avg_3m, name_indexed, updated_at)
           SELECT c.customer_id, @month,
             (SELECT b.aum FROM balances b WHERE b.customer_id = c.customer_id AND b.month = @month),
             (SELECT avg(b.aum) FROM balances b WHERE b.customer_id = c.customer_id AND b.month BETWEEN @firstMonth AND @month),
             c.name, @now
           FROM customers c WHERE true
           ON CONFLICT (customer_id) DO UPDATE SET
             balance_month = excluded.balance_month, aum_latest = excluded.aum_latest, aum_avg_3m = excluded.aum_avg_3m,
             name_indexed = excluded.name_indexed, updated_at = excluded.updated_at
           WHERE customer_summary.balance_month IS NOT excluded.balance_month
              OR customer_summary.aum_latest IS NOT excluded.aum_latest
              OR customer_summary.aum_avg_3m IS NOT excluded.aum_avg_3m
              OR customer_summary.name_indexed IS NOT excluded.name_indexed`,
        )
        .run({ month, firstMonth, now: now.toISOString() }).changes;
      recreateIndexes();
      return { changed, renamed, month };
    } finally {
      db.exec('DROP TABLE temp.renamed');
    }
  })();
  // Statistics let the planner pick a filter's index over walking the sort order when matches are rare
  // (see keyset.ts). A full ANALYZE: a sampled one (analysis_limit) misjudges five risk levels as
  // thousands of values. About a second on a million customers.
  db.exec('ANALYZE customers; ANALYZE customer_summary');
  return result;
}

/** 'YYYY-MM' moved by `delta` months. */
export function shiftMonth(month: string, delta: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + delta;
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}
