/**
 * The customer 360 portrait (客户360画像): one customer's record, community and manager, 24 months of
 * balances, holdings, channel mix, recent transactions and contacts, and the latest analysis results. Every
 * part is a lookup on the customer's own key in a primary key or index, so a portrait costs a few
 * milliseconds on any workspace size. PII is masked here unless the workspace turned masking off.
 */
import type { Portrait360 } from '../../../shared/api';
import { entity, PASSIVE_TRANSACTION_TYPES } from '../../../shared/dictionary';
import { maskValue } from '../../../shared/masking';
import { ageOn } from '../../../shared/values';
import type { Db } from '../db/workspace';
import { EngineError } from '../errors';
import { readSettings } from '../settings-store';
import { shiftMonth } from './customer-summary';
import { latestRuns } from './latest-runs';
import { localToday } from './today';

type Row = Record<string, string | number | null>;

/** Months of balance history the portrait shows. */
export const PORTRAIT_MONTHS = 24;
const RECENT = 20;

/** Columns of a dictionary entity, for SELECT lists: keys come from the dictionary, never from a request. */
const columnsOf = (key: 'customers' | 'communities' | 'managers', alias: string) => entity(key).fields.map((f) => `${alias}.${f.key}`).join(', ');

export interface PortraitOptions {
  today?: string;
}

export function customerPortrait(db: Db, customerId: string, options: PortraitOptions = {}): Portrait360 {
  const customer = db.prepare(`SELECT ${columnsOf('customers', 'c')} FROM customers c WHERE c.customer_id = ?`).get(customerId) as Row | undefined;
  if (!customer) throw new EngineError('not_found', `找不到客户“${customerId}”，请确认客户号，或刷新客户列表后重试`);
  const today = options.today ?? localToday();
  const mask = readSettings(db).maskPii;
  const asOf = portraitAsOf(db, customerId, today);

  return {
    customer: presentCustomer(db, customer, mask, today),
    community: customer.community_id === null ? null : ((db.prepare(`SELECT ${columnsOf('communities', 'cm')} FROM communities cm WHERE cm.community_id = ?`).get(customer.community_id) as Row | undefined) ?? null),
    manager: customer.manager_id === null ? null : ((db.prepare(`SELECT ${columnsOf('managers', 'm')} FROM managers m WHERE m.manager_id = ?`).get(customer.manager_id) as Row | undefined) ?? null),
    balances: balances(db, customerId),
    holdings: db
      .prepare(
        `SELECT h.product_id, coalesce(p.name, h.product_id) AS name, coalesce(p.category, '') AS category, p.risk_rating, h.opened_at, h.closed_at, h.balance
         FROM holdings h LEFT JOIN products p ON p.product_id = h.product_id
         WHERE h.customer_id = ?
         ORDER BY h.closed_at IS NOT NULL, h.opened_at DESC, h.product_id`,
      )
      .all(customerId) as Portrait360['holdings'],
    channelMix: channelMix(db, customerId, asOf),
    recentTransactions: db
      .prepare(`SELECT txn_id, txn_date, channel, type, amount, direction FROM transactions WHERE customer_id = ? ORDER BY txn_date DESC, txn_id DESC LIMIT ${RECENT}`)
      .all(customerId) as Portrait360['recentTransactions'],
    interactions: db
      .prepare(`SELECT date, channel, kind, outcome, score FROM interactions WHERE customer_id = ? ORDER BY date DESC, channel, kind LIMIT ${RECENT}`)
      .all(customerId) as Portrait360['interactions'],
    ...analysis(db, customerId),
  };
}

/** Named parameters for the passive types: @passive0, @passive1, … (values bound, never spliced). */
const PASSIVE_PARAMS = Object.fromEntries(PASSIVE_TRANSACTION_TYPES.map((type, i) => [`passive${i}`, type]));
const ACTIVE = `coalesce(type, '') NOT IN (${PASSIVE_TRANSACTION_TYPES.map((_, i) => `@passive${i}`).join(', ')})`;

/**
 * The channels the customer chooses, over the 12 months to the as-of date: customer-initiated transactions
 * only (the activity definition of shared/dictionary.ts PASSIVE_TRANSACTION_TYPES, as the mobile and counter
 * shares of the analysis). Salary, interest and scheduled debits carry no channel of the customer's choice;
 * counted, they showed as "未注明 30.9%" (issue #14).
 */
function channelMix(db: Db, customerId: string, asOf: string): Portrait360['channelMix'] {
  return db
    .prepare(
      `SELECT coalesce(channel, 'unknown') AS channel, count(*) AS count, coalesce(sum(abs(amount)), 0) AS amount
       FROM transactions WHERE customer_id = @customer AND txn_date > date(@asOf, '-12 months') AND txn_date <= @asOf AND ${ACTIVE}
       GROUP BY 1 ORDER BY count DESC, channel`,
    )
    .all({ customer: customerId, asOf, ...PASSIVE_PARAMS }) as Portrait360['channelMix'];
}

function presentCustomer(db: Db, row: Row, mask: boolean, today: string): Row {
  const out: Row = { ...row };
  if (mask) {
    for (const f of entity('customers').fields) {
      if (f.pii) out[f.key] = maskValue(f.pii, row[f.key] as string | null);
    }
  }
  const birth = row.birth_date;
  out.age = typeof birth === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(birth) ? ageOn(birth, today) : null;
  const summary = db.prepare('SELECT balance_month, aum_latest, aum_avg_3m FROM customer_summary WHERE customer_id = ?').get(row.customer_id) as Row | undefined;
  return { ...out, balance_month: summary?.balance_month ?? null, aum_latest: summary?.aum_latest ?? null, aum_avg_3m: summary?.aum_avg_3m ?? null };
}

/** The customer's balance rows in the 24 months up to the workspace's latest month, ascending. */
function balances(db: Db, customerId: string): Portrait360['balances'] {
  const latest = (db.prepare('SELECT max(month) AS m FROM balances').get() as { m: string | null }).m;
  if (latest === null) return [];
  return db
    .prepare('SELECT month, aum, deposit, wealth, loan FROM balances WHERE customer_id = ? AND month > ? AND month <= ? ORDER BY month')
    .all(customerId, shiftMonth(latest, -PORTRAIT_MONTHS), latest) as Portrait360['balances'];
}

/**
 * The date "last 12 months" ends on: the workspace's as-of date of DESIGN.md §4, the end of the latest
 * balance month (read off its index), else the customer's latest transaction, else today. Imported data is
 * usually weeks old, and counting back from today would show an empty channel mix.
 */
function portraitAsOf(db: Db, customerId: string, today: string): string {
  const month = (db.prepare('SELECT max(month) AS m FROM balances').get() as { m: string | null }).m;
  if (month !== null) return (db.prepare("SELECT date(? || '-01', '+1 month', '-1 day') AS d").get(month) as { d: string }).d;
  const last = (db.prepare('SELECT max(txn_date) AS d FROM transactions WHERE customer_id = ?').get(customerId) as { d: string | null }).d;
  return last ?? today;
}

function analysis(db: Db, customerId: string): Pick<Portrait360, 'scores' | 'tags'> {
  const runs = latestRuns(db);
  const scores =
    runs.scoreRunId === null
      ? null
      : ((db
          .prepare(
            `SELECT s.run_id, r.as_of, s.rfm_r, s.rfm_f, s.rfm_m, s.rfm_class, s.value_tier, s.lifecycle_stage, s.cluster_id,
               s.churn_prob, s.churn_band, s.churn_drivers_json
             FROM customer_scores s JOIN analysis_runs r ON r.run_id = s.run_id
             WHERE s.run_id = ? AND s.customer_id = ?`,
          )
          .get(runs.scoreRunId, customerId) as Row | undefined) ?? null);
  const tags =
    runs.tagRunId === null
      ? []
      : (db
          .prepare('SELECT t.tag_id, t.name, t.category FROM customer_tags ct JOIN tags t ON t.tag_id = ct.tag_id WHERE ct.customer_id = ? AND ct.run_id = ? ORDER BY t.category, t.tag_id')
          .all(customerId, runs.tagRunId) as Portrait360['tags']);
  return { scores, tags };
}
