/**
 * Transaction features: one SQL pass over (lower, asOf] with conditional aggregation, one row per customer.
 *
 * Every activity measure counts customer-initiated transactions only: a type not in
 * PASSIVE_TRANSACTION_TYPES (shared/dictionary.ts: salary, interest, fees and incoming transfers are posted
 * by the bank or by others; loan instalments, insurance renewals and 代扣 run on a schedule; a missing type
 * counts as the customer's). One definition for RFM, 沉睡/衰退 and the activity tags (issue #13).
 *
 * - txn_count_30d / _90d / _365d: customer-initiated transactions in (asOf − N days, asOf].
 * - days_since_last_active_txn: days from the latest customer-initiated transaction on or before the as-of
 *   date to the as-of date. Not bounded by the window: a customer with none in the window is looked up on
 *   his own (index on customer_id, txn_date, newest first); NaN when he has none at all.
 * - mobile_share / counter_share / atm_share: customer-initiated transactions of that channel over those
 *   with a known channel in (asOf − 365 days, asOf], 0–1: the channels the customer chooses. Postings carry
 *   no channel (or the sender's), so they are left out; NaN when the customer has no channelled transaction.
 * - inflow_3m / outflow_3m: sums of |amount| over direction 'in' / 'out' in (asOf − 3 months, asOf], in 元.
 *   Rows without a direction count in neither.
 *
 * And for the scores (ScoreInputs): customer-initiated counts over the RFM frequency window, over the last
 * 90 days and over the 90 days before them, and the 12-month inflow (money in, whoever sent it).
 *
 * Query plan: SQLite walks transactions_customer_date (customer_id, txn_date) with a skip-scan on the date
 * range, which yields the groups in customer order without a sort; each matching row costs one lookup in
 * the table, in rowid order when the file was loaded customer by customer. A covering index over the
 * aggregated columns (customer_id, txn_date, type, channel, direction, amount) made this pass about 25%
 * faster on a 20,000-customer demo, but it stores most of the table a second time and took 3.6 s to
 * build for 2.2 million rows, against 16.5 s for importing them: not worth it, so no migration adds it.
 */
import { PASSIVE_TRANSACTION_TYPES } from '../../../../shared/dictionary';
import type { Db } from '../../db/workspace';
import { dayNumber } from '../dates';
import { rangeParams, rangeSql, type CustomerRange, type PassContext } from './pass';
import type { FeatureWindows } from './windows';

/** Named parameters for the passive types: @passive0, @passive1, … (values bound, never spliced). */
const PASSIVE_PARAMS = Object.fromEntries(PASSIVE_TRANSACTION_TYPES.map((type, i) => [`passive${i}`, type]));
const ACTIVE = `coalesce(type, '') NOT IN (${PASSIVE_TRANSACTION_TYPES.map((_, i) => `@passive${i}`).join(', ')})`;

type Bound = 'days30' | 'days90' | 'days180' | 'days365' | 'months3' | 'months12' | 'frequency';

/**
 * The aggregate query for these windows. A window whose bound equals the pass's lower bound needs no test
 * (every row read is inside it), so that test is left out: with the default 12-month frequency the 365-day,
 * 12-month and frequency windows usually coincide, and each test saved is one comparison per row.
 */
function aggregateSql(w: FeatureWindows, range: CustomerRange): string {
  const since = (bound: Bound) => (w[bound] === w.lower ? null : `txn_date > @${bound}`);
  const aggregate = (fn: string, ...conditions: (string | null)[]) => {
    const kept = conditions.filter((c): c is string => c !== null);
    return kept.length > 0 ? `${fn} FILTER (WHERE ${kept.join(' AND ')})` : fn;
  };
  const inflow = (bound: Bound) => aggregate('total(abs(amount))', "direction = 'in'", since(bound));
  return `SELECT customer_id,
  ${aggregate('count(*)', since('days30'), ACTIVE)},
  ${aggregate('count(*)', since('days90'), ACTIVE)},
  ${aggregate('count(*)', since('days365'), ACTIVE)},
  ${aggregate('max(txn_date)', ACTIVE)},
  ${aggregate('count(*)', "channel = 'mobile'", since('days365'), ACTIVE)},
  ${aggregate('count(*)', "channel = 'counter'", since('days365'), ACTIVE)},
  ${aggregate('count(*)', "channel = 'atm'", since('days365'), ACTIVE)},
  ${aggregate('count(channel)', since('days365'), ACTIVE)},
  ${inflow('months3')},
  ${aggregate('total(abs(amount))', "direction = 'out'", since('months3'))},
  ${aggregate('count(*)', since('frequency'), ACTIVE)},
  ${aggregate('count(*)', since('days90'), ACTIVE)},
  ${aggregate('count(*)', since('days180'), 'txn_date <= @days90', ACTIVE)},
  ${inflow('months12')}
FROM transactions
WHERE txn_date > @lower AND txn_date <= @asOf${rangeSql(range, 'customer_id')}
GROUP BY customer_id
ORDER BY customer_id`;
}

const LAST_ACTIVE_BEFORE_SQL = `SELECT txn_date FROM transactions
WHERE customer_id = @customer AND txn_date <= @before AND ${ACTIVE}
ORDER BY txn_date DESC LIMIT 1`;

const ANY_SQL = 'SELECT EXISTS (SELECT 1 FROM transactions WHERE txn_date <= ?) AS found';

type AggregateRow = [string, number, number, number, string | null, number, number, number, number, number, number, number, number, number, number];

export function transactionsAvailable(db: Db, w: FeatureWindows): boolean {
  return (db.prepare(ANY_SQL).get(w.asOf) as { found: number }).found === 1;
}

export function transactionsPass(ctx: PassContext): void {
  const { db, w, range, ids, index, n, col, inputs, tick } = ctx;
  const lastActive = new Array<string | null>(n).fill(null);
  // Customers without rows in the window had no transactions there: zero, not unknown.
  for (const key of ['txn_count_30d', 'txn_count_90d', 'txn_count_365d', 'inflow_3m', 'outflow_3m'] as const) col[key].fill(0);
  inputs.activeTxnFrequency.fill(0);
  inputs.activeLast90.fill(0);
  inputs.activePrior90.fill(0);
  inputs.inflow12m.fill(0);

  // Parameters a statement does not name are ignored, so one set serves every variant of the query.
  const params = { ...PASSIVE_PARAMS, days30: w.days30, days90: w.days90, days180: w.days180, days365: w.days365, months3: w.months3, months12: w.months12, frequency: w.frequency, lower: w.lower, asOf: w.asOf, ...rangeParams(range) };
  const iterator = db.prepare(aggregateSql(w, range)).raw().iterate(params) as IterableIterator<AggregateRow>;
  for (const r of iterator) {
    tick();
    const i = index.get(r[0]);
    if (i === undefined) continue;
    col.txn_count_30d[i] = r[1];
    col.txn_count_90d[i] = r[2];
    col.txn_count_365d[i] = r[3];
    lastActive[i] = r[4];
    const channelled = r[8];
    if (channelled > 0) {
      col.mobile_share[i] = r[5] / channelled;
      col.counter_share[i] = r[6] / channelled;
      col.atm_share[i] = r[7] / channelled;
    }
    col.inflow_3m[i] = r[9];
    col.outflow_3m[i] = r[10];
    inputs.activeTxnFrequency[i] = r[11];
    inputs.activeLast90[i] = r[12];
    inputs.activePrior90[i] = r[13];
    inputs.inflow12m[i] = r[14];
  }

  // The few customers with no customer-initiated transaction in the window: look further back, one by one.
  const before = db.prepare(LAST_ACTIVE_BEFORE_SQL).pluck();
  const asOfDay = dayNumber(w.asOf);
  const days = col.days_since_last_active_txn;
  for (let i = 0; i < n; i++) {
    let last = lastActive[i] ?? null;
    if (last === null) {
      last = (before.get({ ...PASSIVE_PARAMS, customer: ids[i], before: w.lower }) as string | undefined) ?? null;
      tick();
    }
    if (last !== null) days[i] = asOfDay - dayNumber(last);
  }
}
