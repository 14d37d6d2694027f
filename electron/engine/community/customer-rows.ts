/**
 * One row per customer with what the community measures count, in a temporary table: the customer's
 * community, grid and manager, age and 3-month average AUM as of the month, lifecycle and churn from the
 * latest customer analysis, days since the last customer-initiated transaction, whether the customer is new
 * or was lost within the period, whether anyone contacted them recently, the product families held at the
 * as-of date (a bit per family of PRODUCT_CATEGORIES, so that holders of every family of every unit are
 * sums over this one table), and the demographic flags the activity rules test. Every measure of every community, grid and manager is then a GROUP BY over this
 * table (aggregate.ts), so the joins are made once.
 *
 * AUM and tiers are computed from `balances` for the requested month rather than read from the features, so
 * that a snapshot of an earlier month is really of that month. Lifecycle, churn and activity come from the
 * latest customer analysis; the run info says as of when.
 */
import { PRODUCT_CATEGORIES } from '../../../shared/dictionary';
import { columnExpression, customerFieldCatalog, fromClause, type SqlParam } from '../../../shared/rule-fields';
import type { CommunitySettings } from '../../../shared/community';
import type { Settings } from '../../../shared/settings';
import type { LatestRuns } from '../customers/latest-runs';
import type { Db } from '../db/workspace';
import { addDays, addMonthsToMonth } from '../analytics/dates';

export const ROWS = 'temp.cm_rows';

export interface RowsWindow {
  /** The as-of month and its last day. */
  month: string;
  asOf: string;
  /** First day of the period new and lost customers are counted over. */
  periodStart: string;
}

export function periodStartOf(month: string, periodMonths: number): string {
  return `${addMonthsToMonth(month, -(periodMonths - 1))}-01`;
}

/** `?, ?, ?` for a list, or NULL for an empty one (`x IN (NULL)` matches nothing). */
const placeholders = (values: readonly unknown[]) => (values.length === 0 ? 'NULL' : values.map(() => '?').join(', '));

/** 1 when the occupation is in the list, 0 when it is not, NULL when the customer's occupation is unknown. */
function occupationFlag(list: readonly string[]): { sql: string; params: SqlParam[] } {
  return { sql: `CASE WHEN c.occupation IS NULL OR c.occupation = '' THEN NULL WHEN c.occupation IN (${placeholders(list)}) THEN 1 ELSE 0 END`, params: [...list] };
}

/**
 * Builds cm_rows for the window. Only customers opened by the as-of date (or without an opening date) are
 * in it; `cur` marks the customers still with the bank (not churned), `lost` those who churned within the
 * period: churned now, and still above the churn floor at the end of the month before the period, or with
 * their last account closed within it.
 */
export function buildCustomerRows(db: Db, settings: Settings, runs: LatestRuns, window: RowsWindow): void {
  dropCustomerRows(db);
  const community: CommunitySettings = settings.community;
  const { month, asOf, periodStart } = window;
  const firstAumMonth = addMonthsToMonth(month, -2);
  const beforePeriod = addMonthsToMonth(periodStart.slice(0, 7), -1);
  const balanceFrom = beforePeriod < firstAumMonth ? beforePeriod : firstAumMonth;

  db.exec('CREATE TEMP TABLE cm_aum (customer_id TEXT PRIMARY KEY, aum REAL, start_aum REAL) WITHOUT ROWID');
  db.prepare(
    `INSERT INTO temp.cm_aum (customer_id, aum, start_aum)
     SELECT customer_id, avg(CASE WHEN month >= ? THEN aum END), max(CASE WHEN month = ? THEN aum END)
     FROM balances WHERE month BETWEEN ? AND ? GROUP BY customer_id`,
  ).run(firstAumMonth, beforePeriod, balanceFrom, month);

  // Families held at the as-of date. sum(DISTINCT bit) over a customer's holdings ORs the bits of the
  // families; holdings are read in primary-key order, so grouping by customer needs no sort.
  const bit = `CASE p.category ${PRODUCT_CATEGORIES.map((_, i) => `WHEN ? THEN ${2 ** i}`).join(' ')} ELSE 0 END`;
  db.exec('CREATE TEMP TABLE cm_held (customer_id TEXT PRIMARY KEY, held INTEGER NOT NULL) WITHOUT ROWID');
  db.prepare(
    `INSERT INTO temp.cm_held (customer_id, held)
     SELECT h.customer_id, sum(DISTINCT ${bit}) FROM holdings h JOIN products p ON p.product_id = h.product_id
     WHERE h.opened_at <= ? AND (h.closed_at IS NULL OR h.closed_at > ?) GROUP BY h.customer_id`,
  ).run(...PRODUCT_CATEGORIES, asOf, asOf);

  // Contacted within the window: a visit, call or event, or a campaign response dated in it.
  const contactFrom = addDays(asOf, -community.contactDays + 1);
  db.exec('CREATE TEMP TABLE cm_contacted (customer_id TEXT PRIMARY KEY) WITHOUT ROWID');
  db.prepare(
    `INSERT OR IGNORE INTO temp.cm_contacted (customer_id)
     SELECT customer_id FROM interactions WHERE kind IN ('visit', 'call', 'event') AND date BETWEEN ? AND ?
     UNION SELECT customer_id FROM campaign_responses WHERE responded_at BETWEEN ? AND ?`,
  ).run(contactFrom, asOf, contactFrom, asOf);

  // The customer catalog supplies the joins to communities, managers, features and scores, and the age
  // expression, exactly as rules and the customer list use them.
  const catalog = customerFieldCatalog({ featureRunId: runs.featureRunId, scoreRunId: runs.scoreRunId, tagRunId: null, asOf });
  const from = fromClause(catalog);
  const age = columnExpression(catalog, 'age') ?? { sql: 'NULL', params: [] };
  const hasScores = runs.scoreRunId !== null;
  const hasFeatures = runs.featureRunId !== null;
  const [ageFrom, ageTo] = community.youngFamilyAges;
  const student = occupationFlag(community.occupations.student);
  const worker = occupationFlag(community.occupations.worker);
  const salaried = occupationFlag(community.occupations.salaried);
  const sole = community.occupations.soleTrader;
  const churned = hasScores ? "s.lifecycle_stage = 'churned'" : '0';

  db.prepare(
    `CREATE TEMP TABLE cm_rows AS SELECT
       c.customer_id AS customer_id,
       CASE WHEN cm.community_id IS NOT NULL THEN c.community_id END AS community_id,
       cm.grid_id AS grid_id,
       nullif(c.manager_id, '') AS manager_id,
       ${age.sql} AS age,
       a.aum AS aum,
       ${hasScores ? 's.lifecycle_stage' : 'NULL'} AS lifecycle,
       ${hasScores ? 's.churn_band' : 'NULL'} AS churn_band,
       ${hasScores ? 's.churn_prob' : 'NULL'} AS churn_prob,
       ${hasFeatures ? 'f.days_since_last_active_txn' : 'NULL'} AS idle_days,
       CASE WHEN ${churned} THEN 0 ELSE 1 END AS cur,
       CASE WHEN ${churned} AND (a.start_aum >= ? OR (SELECT max(h.closed_at) FROM holdings h WHERE h.customer_id = c.customer_id) >= ?) THEN 1 ELSE 0 END AS lost,
       CASE WHEN c.open_date >= ? THEN 1 ELSE 0 END AS is_new,
       CASE WHEN ct.customer_id IS NOT NULL THEN 1 ELSE 0 END AS contacted,
       coalesce(hd.held, 0) AS held,
       CASE WHEN ${age.sql} IS NULL THEN NULL
            WHEN ${age.sql} BETWEEN ? AND ? AND (c.marital_status IS NULL OR c.marital_status = '' OR c.marital_status IN ('已婚', '再婚', '初婚', 'married')) THEN 1 ELSE 0 END AS young_family,
       ${student.sql} AS student,
       ${worker.sql} AS worker,
       ${salaried.sql} AS salaried,
       CASE WHEN c.customer_type = 'sme_owner' OR c.occupation IN (${placeholders(sole)}) THEN 1
            WHEN c.customer_type IS NULL AND (c.occupation IS NULL OR c.occupation = '') THEN NULL ELSE 0 END AS sme
     FROM ${from.sql}
     LEFT JOIN temp.cm_aum a ON a.customer_id = c.customer_id
     LEFT JOIN temp.cm_contacted ct ON ct.customer_id = c.customer_id
     LEFT JOIN temp.cm_held hd ON hd.customer_id = c.customer_id
     WHERE c.open_date IS NULL OR c.open_date <= ?`,
  ).run(
    ...age.params,
    settings.lifecycle.churnAumBelow,
    periodStart,
    periodStart,
    ...age.params,
    ...age.params,
    ageFrom,
    ageTo,
    ...student.params,
    ...worker.params,
    ...salaried.params,
    ...sole,
    ...from.params,
    asOf,
  );
}

export function dropCustomerRows(db: Db): void {
  db.exec('DROP TABLE IF EXISTS temp.cm_rows; DROP TABLE IF EXISTS temp.cm_aum; DROP TABLE IF EXISTS temp.cm_contacted; DROP TABLE IF EXISTS temp.cm_held');
}
