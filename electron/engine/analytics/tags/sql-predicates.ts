/**
 * Named SQL predicates for the system tags the rule DSL cannot express: product holdings, transactions of
 * a type or channel, balance histories, contact records. Each is a boolean expression correlated on
 * `c.customer_id` (the customers table of the customer catalog), with every value bound as a parameter
 * and every window closed at the run's as-of date: a holding opened, a transaction booked or a contact
 * made after it is never read, and a holding closed after it still counts as held.
 *
 * Three shapes, chosen by the indexes at hand:
 * - holdings are read from the per-customer snapshot of the as-of date (holdings-snapshot.ts, alias `th`),
 *   built once for all tags;
 * - `c.customer_id IN (SELECT …)` when an index finds the few matching rows directly (interactions by kind
 *   and date, balances by month, the run's features): SQLite builds the set once;
 * - a correlated `EXISTS` on transactions, which are indexed by (customer_id, txn_date) only: each
 *   customer's last weeks are a short index range, where a set would scan millions of rows. Where the
 *   run's features already rule a customer out (no transaction at all in the window, no mobile
 *   transaction in the year), the range is not read.
 */
import { PASSIVE_TRANSACTION_TYPES } from '../../../../shared/dictionary';
import type { SqlFragment, SqlParam } from '../../../../shared/rule-fields';
import type { Settings } from '../../../../shared/settings';
import { addDays, addMonths, addMonthsToMonth } from '../dates';
import { categoryBit } from './holdings-snapshot';
import { LOST_STAGES_SQL } from '../churn/population';

/** What a tag definition is evaluated against. */
export interface TagContext {
  /** The run's as-of date, 'YYYY-MM-DD': nothing after it is read. */
  readonly asOf: string;
  readonly settings: Settings;
  /** The analysis run whose features and scores the tags read. */
  readonly runId: number;
  /** The latest run up to the as-of date with churn scores, or null when churn was never scored. */
  readonly churnRunId: number | null;
  /** Whether the run has customer_features rows (predicates may then use them to skip work). */
  readonly features: boolean;
}

const fragment = (sql: string, ...params: SqlParam[]): SqlFragment => ({ sql, params });

const placeholders = (n: number) => new Array<string>(n).fill('?').join(', ');

/** Holds at least one product of these categories on the as-of date (reads the holdings snapshot `th`). */
export function holdsCategory(_ctx: TagContext, categories: readonly string[]): SqlFragment {
  const bits = categories.reduce((mask, category) => mask | categoryBit(category), 0);
  return fragment('(coalesce(th.held, 0) & ?) <> 0', bits);
}

/**
 * Customers the run's features show with some customer-initiated transaction in the last `days` (30 or
 * 90) days and a customer-initiated mobile one in the last 365: txn_count_Nd counts those in (asOf − N
 * days, asOf] and mobile_share is positive exactly when there is a mobile one in (asOf − 365 days, asOf].
 */
function mightHaveMobile(ctx: TagContext, recentDays: 30 | 90 | 365): SqlFragment {
  const recent = recentDays === 365 ? '' : ` AND txn_count_${recentDays}d > 0`;
  return fragment(`c.customer_id IN (SELECT customer_id FROM customer_features WHERE run_id = ? AND mobile_share > 0${recent})`, ctx.runId);
}

/** At least one transaction matching `condition` in the `days` days up to and including the as-of date. */
function transactedWithin(ctx: TagContext, days: number, condition: string, ...params: SqlParam[]): SqlFragment {
  return fragment(
    `EXISTS (SELECT 1 FROM transactions t WHERE t.customer_id = c.customer_id AND t.txn_date > ? AND t.txn_date <= ? AND ${condition})`,
    addDays(ctx.asOf, -days),
    ctx.asOf,
    ...params,
  );
}

/** 代发工资客户: an active payroll product, or a salary credit in the last 3 months. */
export function payroll(ctx: TagContext): SqlFragment {
  const held = holdsCategory(ctx, ['payroll']);
  const salary = fragment(
    'EXISTS (SELECT 1 FROM transactions t WHERE t.customer_id = c.customer_id AND t.txn_date > ? AND t.txn_date <= ? AND t.type = ?)',
    addMonths(ctx.asOf, -3),
    ctx.asOf,
    'salary',
  );
  return fragment(`(${held.sql} OR ${salary.sql})`, ...held.params, ...salary.params);
}

/** The customer's own doing: not a posting or a scheduled debit (shared/dictionary.ts PASSIVE_TRANSACTION_TYPES). */
const OWN_TRANSACTION = `coalesce(t.type, '') NOT IN (${placeholders(PASSIVE_TRANSACTION_TYPES.length)})`;

/**
 * 手机银行活跃: at least one customer-initiated mobile-banking transaction in the last 30 days (the monthly
 * active user); a transfer received on the phone is not the customer using it.
 */
export function mobileActive(ctx: TagContext): SqlFragment {
  const exists = transactedWithin(ctx, 30, `t.channel = ? AND ${OWN_TRANSACTION}`, 'mobile', ...PASSIVE_TRANSACTION_TYPES);
  if (!ctx.features) return exists;
  const possible = mightHaveMobile(ctx, 30);
  return fragment(`(${possible.sql} AND ${exists.sql})`, ...possible.params, ...exists.params);
}

/**
 * 未使用手机银行: no active mobile-banking product and no customer-initiated mobile transaction in the last 12
 * months (365 days). With features, the second half is exactly "mobile_share is not positive" and reads no
 * transaction.
 */
export function noMobile(ctx: TagContext): SqlFragment {
  const held = holdsCategory(ctx, ['mobile_banking']);
  const used = ctx.features ? mightHaveMobile(ctx, 365) : transactedWithin(ctx, 365, `t.channel = ? AND ${OWN_TRANSACTION}`, 'mobile', ...PASSIVE_TRANSACTION_TYPES);
  return fragment(`(NOT ${held.sql} AND NOT ${used.sql})`, ...held.params, ...used.params);
}

/**
 * 理财到期未续: a wealth holding closed in the last `days` days, and no wealth holding opened on or after
 * the latest such closing (up to the as-of date). The money left wealth management and has not come back.
 */
export function wealthMaturedNotRenewed(ctx: TagContext, days = 90): SqlFragment {
  return fragment(
    `c.customer_id IN (
      SELECT x.customer_id FROM (
        SELECT h.customer_id, max(h.closed_at) AS last_closed
        FROM products p JOIN holdings h ON h.product_id = p.product_id
        WHERE p.category = ? AND h.closed_at > ? AND h.closed_at <= ?
        GROUP BY h.customer_id
      ) x
      WHERE NOT EXISTS (
        SELECT 1 FROM holdings h2 JOIN products p2 ON p2.product_id = h2.product_id
        WHERE h2.customer_id = x.customer_id AND p2.category = ? AND h2.opened_at >= x.last_closed AND h2.opened_at <= ?
      )
    )`,
    'wealth',
    addDays(ctx.asOf, -days),
    ctx.asOf,
    'wealth',
    ctx.asOf,
  );
}

/**
 * 近三月资产下降: the as-of month's average AUM at least `dropPct`% below that of three months before, for
 * customers who had at least `floor` 元 then (below that, a few hundred 元 moving is noise, not a loss).
 */
export function aumDown3m(ctx: TagContext, dropPct = 20, floor = 1_000): SqlFragment {
  const month = ctx.asOf.slice(0, 7);
  return fragment(
    `c.customer_id IN (
      SELECT b0.customer_id FROM balances b0 JOIN balances b3 ON b3.customer_id = b0.customer_id AND b3.month = ?
      WHERE b0.month = ? AND b3.aum >= ? AND b0.aum <= b3.aum * ?
    )`,
    addMonthsToMonth(month, -3),
    month,
    floor,
    1 - dropPct / 100,
  );
}

/** 近三月资金净流出: outflow exceeds inflow by at least `amount` 元 over the last 3 months (the run's features). */
export function netOutflow(ctx: TagContext, amount = 50_000): SqlFragment {
  return fragment(
    'c.customer_id IN (SELECT customer_id FROM customer_features WHERE run_id = ? AND outflow_3m - coalesce(inflow_3m, 0) >= ?)',
    ctx.runId,
    amount,
  );
}

/** Contacts of these kinds in the `days` days up to the as-of date (interactions are indexed by kind and date). */
export function contactedWithin(ctx: TagContext, kinds: readonly string[], days: number): SqlFragment {
  return fragment(
    `c.customer_id IN (SELECT customer_id FROM interactions WHERE kind IN (${placeholders(kinds.length)}) AND date > ? AND date <= ?)`,
    ...kinds,
    addDays(ctx.asOf, -days),
    ctx.asOf,
  );
}

/**
 * 流失风险: churn band 'high' in the latest churn scoring up to the as-of date; nobody when never scored.
 * When that scoring belongs to an earlier run, a customer this run finds already 流失 or 沉睡 is left out:
 * the warning is for customers not yet lost (churn/population.ts), whatever the earlier band said.
 */
export function churnHigh(ctx: TagContext): SqlFragment {
  if (ctx.churnRunId === null) return fragment('0');
  return fragment(
    `c.customer_id IN (SELECT customer_id FROM customer_scores WHERE run_id = ? AND churn_band = ?)
     AND c.customer_id NOT IN (SELECT customer_id FROM customer_scores WHERE run_id = ? AND lifecycle_stage IN ${LOST_STAGES_SQL})`,
    ctx.churnRunId,
    'high',
    ctx.runId,
  );
}

/** 下月生日: born in the month after the as-of month, for birthday care calls planned a month ahead. */
export function birthdayNextMonth(ctx: TagContext): SqlFragment {
  return fragment('substr(c.birth_date, 6, 2) = ?', addMonthsToMonth(ctx.asOf.slice(0, 7), 1).slice(5, 7));
}

/**
 * 持仓风险超出测评等级 (适当性): holds, on the as-of date, a product rated Rk above the customer's risk level
 * Cj (k > j). Customers without a risk level are the 未做风险测评 tag's concern, not this one's. Reads the
 * holdings snapshot `th`.
 */
export function suitabilityMismatch(_ctx: TagContext): SqlFragment {
  return fragment('CAST(substr(c.risk_level, 2) AS INTEGER) < th.max_risk');
}
