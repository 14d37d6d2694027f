/**
 * One row per customer with everything the group portrait breaks down by, in a temporary table: whether
 * the customer is in the group (the compiled rule), age, gender, occupation, tier, AUM, lifecycle,
 * community, products held and the transaction counts by channel. Every dimension is then one GROUP BY
 * over this narrow in-memory table, instead of one pass over customers and their joins per dimension.
 *
 * The group is a column (in_group) rather than a second table, so the group and the branch come out of
 * the same pass and the branch column is, by construction, the whole population.
 */
import { PRODUCT_CATEGORIES } from '../../../../shared/dictionary';
import { columnExpression, fromClause, type FieldCatalog, type SqlFragment } from '../../../../shared/rule-fields';
import type { Settings } from '../../../../shared/settings';
import type { LatestRuns } from '../../customers/latest-runs';
import type { Db } from '../../db/workspace';

export const ROWS = 'temp.gp_rows';
const HELD = 'temp.gp_held';

/** Bit of each product category in gp_rows.held; categories outside the dictionary share the last bit. */
export const CATEGORY_BITS: readonly string[] = PRODUCT_CATEGORIES;

export interface RowSources {
  /** AUM (3-month average) and channel counts come from the latest features when there are any. */
  features: boolean;
  /** Tier and lifecycle come from the latest scores when there are any. */
  scores: boolean;
}

/** Builds gp_rows for a compiled group rule; `today` decides which holdings are active. */
export function buildGroupRows(db: Db, catalog: FieldCatalog, runs: LatestRuns, settings: Settings, group: SqlFragment, today: string): RowSources {
  dropGroupRows(db);
  const sources: RowSources = { features: runs.featureRunId !== null, scores: runs.scoreRunId !== null };

  // Active holdings per customer as a bit set of categories. holdings is read in primary-key order, so the
  // grouping by customer needs no sort; sum(DISTINCT bit) is a bitwise OR of the categories held.
  const bit = `CASE p.category ${CATEGORY_BITS.map((_, i) => `WHEN ? THEN ${1 << i}`).join(' ')} ELSE 0 END`;
  db.exec(`CREATE TEMP TABLE gp_held (customer_id TEXT PRIMARY KEY, held INTEGER NOT NULL, products INTEGER NOT NULL) WITHOUT ROWID`);
  db.prepare(
    `INSERT INTO ${HELD} (customer_id, held, products)
     SELECT h.customer_id, sum(DISTINCT ${bit}), count(*) FROM holdings h JOIN products p ON p.product_id = h.product_id
     WHERE h.opened_at <= ? AND (h.closed_at IS NULL OR h.closed_at > ?) GROUP BY h.customer_id`,
  ).run(...CATEGORY_BITS, today, today);

  const age = columnExpression(catalog, 'age') ?? { sql: 'NULL', params: [] };
  const from = fromClause(catalog);
  const { affluent, wealth, private: privateTier } = settings.tiers;
  const aum = sources.features ? 'f.aum_avg_3m' : 'cs.aum_avg_3m';
  const tier = sources.scores
    ? 's.value_tier'
    : `CASE WHEN ${aum} IS NULL THEN 'no_record' WHEN ${aum} >= ? THEN 'private' WHEN ${aum} >= ? THEN 'wealth' WHEN ${aum} >= ? THEN 'affluent' ELSE 'mass' END`;
  const tierParams = sources.scores ? [] : [privateTier, wealth, affluent];
  // Transactions of the last 12 months by channel, estimated from the features (see dimensions.ts
  // channelMix); `txn` counts only customers with channel shares, whose transactions the shares split.
  const channel = (share: string) => (sources.features ? `f.txn_count_365d * f.${share}` : 'NULL');
  const churn = sources.scores ? 's.churn_band' : 'NULL';

  db.prepare(
    `CREATE TEMP TABLE gp_rows AS SELECT
       c.customer_id AS customer_id,
       CASE WHEN ${group.sql} THEN 1 ELSE 0 END AS in_group,
       ${age.sql} AS age,
       c.gender AS gender,
       c.occupation AS occupation,
       ${tier} AS tier,
       ${aum} AS aum,
       ${sources.scores ? 's.lifecycle_stage' : 'NULL'} AS lifecycle,
       coalesce(cm.name, c.community_id) AS community,
       coalesce(hd.held, 0) AS held,
       coalesce(hd.products, 0) AS products,
       ${sources.features ? 'CASE WHEN f.mobile_share IS NOT NULL THEN f.txn_count_365d END' : 'NULL'} AS txn,
       ${channel('mobile_share')} AS mobile,
       ${channel('counter_share')} AS counter,
       ${channel('atm_share')} AS atm,
       ${churn} AS churn_band
     FROM ${from.sql}
     LEFT JOIN customer_summary cs ON cs.customer_id = c.customer_id
     LEFT JOIN ${HELD} hd ON hd.customer_id = c.customer_id`,
  ).run(...group.params, ...age.params, ...tierParams, ...from.params);
  return sources;
}

export function dropGroupRows(db: Db): void {
  db.exec('DROP TABLE IF EXISTS temp.gp_rows; DROP TABLE IF EXISTS temp.gp_held');
}
