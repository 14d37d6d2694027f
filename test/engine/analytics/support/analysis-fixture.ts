/**
 * A stand-in for the analytics core in tests: one succeeded customer-analysis run whose customer_features
 * and customer_scores are computed here with plain SQL from the source tables, as of a date. The formulas
 * are simple versions of the real ones (DESIGN.md §4), good enough to give every tag and every portrait
 * dimension realistic inputs; the tests never check these numbers themselves.
 */
import { PASSIVE_TRANSACTION_TYPES } from '../../../../shared/dictionary';
import type { Db } from '../../../../electron/engine/db/workspace';

export interface FixtureRun {
  runId: number;
  asOf: string;
}

/** The as-of date of a workspace: the last day of its latest balance month. */
export function latestAsOf(db: Db): string {
  const month = db.prepare('SELECT max(month) FROM balances').pluck().get() as string | null;
  if (!month) throw new Error('no balances');
  return db.prepare("SELECT date(? || '-01', '+1 month', '-1 day')").pluck().get(month) as string;
}

export function insertRun(db: Db, asOf: string, kind = 'customer-analysis'): number {
  const now = new Date().toISOString();
  return Number(
    db.prepare("INSERT INTO analysis_runs (kind, params_json, as_of, status, started_at, finished_at) VALUES (?, '{}', ?, 'succeeded', ?, ?)").run(kind, asOf, now, now).lastInsertRowid,
  );
}

/** Features and scores for every customer on the books at `asOf`, under a new succeeded run. */
export function insertAnalysisRun(db: Db, asOf = latestAsOf(db)): FixtureRun {
  const runId = insertRun(db, asOf);
  const month = asOf.slice(0, 7);
  const p = {
    run: runId,
    asOf,
    month,
    m2: shift(db, month, -2),
    m6: shift(db, month, -6),
    m11: shift(db, month, -11),
    d30: day(db, asOf, -30),
    d90: day(db, asOf, -90),
    d365: day(db, asOf, -365),
  };
  db.transaction(() => {
    db.exec(`DROP TABLE IF EXISTS temp.fx_txn; DROP TABLE IF EXISTS temp.fx_last; DROP TABLE IF EXISTS temp.fx_bal; DROP TABLE IF EXISTS temp.fx_hold`);
    // Activity counts the customer's own transactions only, like the real features.
    const own = `coalesce(type, '') NOT IN (${PASSIVE_TRANSACTION_TYPES.map((t) => `'${t}'`).join(', ')})`;
    db.prepare(
      `CREATE TEMP TABLE fx_txn AS SELECT customer_id,
         sum(txn_date > @d30 AND ${own}) AS n30, sum(txn_date > @d90 AND ${own}) AS n90, sum(${own}) AS n365,
         sum(channel = 'mobile' AND ${own}) AS mobile, sum(channel = 'counter' AND ${own}) AS counter, sum(channel = 'atm' AND ${own}) AS atm,
         sum(CASE WHEN txn_date > @d90 AND direction = 'in' THEN amount ELSE 0 END) AS inflow,
         sum(CASE WHEN txn_date > @d90 AND direction = 'out' THEN amount ELSE 0 END) AS outflow
       FROM transactions WHERE txn_date > @d365 AND txn_date <= @asOf GROUP BY customer_id`,
    ).run(p);
    db.prepare(
      `CREATE TEMP TABLE fx_last AS SELECT customer_id, max(txn_date) AS last_active FROM transactions
       WHERE txn_date <= @asOf AND ${own} GROUP BY customer_id`,
    ).run(p);
    db.prepare(
      `CREATE TEMP TABLE fx_bal AS SELECT customer_id,
         max(CASE WHEN month = @month THEN aum END) AS aum_latest,
         max(CASE WHEN month = @month THEN deposit END) AS deposit,
         max(CASE WHEN month = @month THEN wealth END) AS wealth,
         max(CASE WHEN month = @month THEN loan END) AS loan,
         avg(CASE WHEN month >= @m2 THEN aum END) AS aum_3m,
         avg(aum) AS aum_12m,
         max(CASE WHEN month = @m6 THEN aum END) AS aum_6m_ago
       FROM balances WHERE month >= @m11 AND month <= @month GROUP BY customer_id`,
    ).run(p);
    db.prepare(
      `CREATE TEMP TABLE fx_hold AS SELECT h.customer_id, count(*) AS products, count(DISTINCT p.category) AS categories
       FROM holdings h JOIN products p ON p.product_id = h.product_id
       WHERE h.opened_at <= @asOf AND (h.closed_at IS NULL OR h.closed_at > @asOf) GROUP BY h.customer_id`,
    ).run(p);
    db.prepare(
      `INSERT INTO customer_features (run_id, customer_id, as_of, age, tenure_months, aum_latest, aum_avg_3m, aum_avg_12m,
         aum_trend_slope_6m, aum_change_pct_6m, deposit_share, wealth_share, loan_share, product_count, category_count,
         txn_count_30d, txn_count_90d, txn_count_365d, days_since_last_active_txn, mobile_share, counter_share, atm_share,
         inflow_3m, outflow_3m, complaints_12m, months_since_risk_assessment)
       SELECT @run, c.customer_id, @asOf,
         CAST(substr(@asOf, 1, 4) AS INTEGER) - CAST(substr(c.birth_date, 1, 4) AS INTEGER) - (substr(@asOf, 6, 5) < substr(c.birth_date, 6, 5)),
         (julianday(@asOf) - julianday(c.open_date)) / 30.4375,
         coalesce(b.aum_latest, 0), coalesce(b.aum_3m, 0), coalesce(b.aum_12m, 0),
         (coalesce(b.aum_latest, 0) - coalesce(b.aum_6m_ago, 0)) / 6.0,
         CASE WHEN b.aum_6m_ago > 0 THEN (b.aum_latest - b.aum_6m_ago) * 100.0 / b.aum_6m_ago END,
         CASE WHEN b.aum_latest > 0 THEN min(1.0, b.deposit / b.aum_latest) END,
         CASE WHEN b.aum_latest > 0 THEN min(1.0, b.wealth / b.aum_latest) END,
         CASE WHEN b.aum_latest > 0 THEN b.loan / b.aum_latest WHEN b.loan > 0 THEN 10.0 ELSE 0 END,
         coalesce(h.products, 0), coalesce(h.categories, 0),
         coalesce(t.n30, 0), coalesce(t.n90, 0), coalesce(t.n365, 0),
         CAST(julianday(@asOf) - julianday(l.last_active) AS INTEGER),
         CASE WHEN t.n365 > 0 THEN t.mobile * 1.0 / t.n365 END,
         CASE WHEN t.n365 > 0 THEN t.counter * 1.0 / t.n365 END,
         CASE WHEN t.n365 > 0 THEN t.atm * 1.0 / t.n365 END,
         coalesce(t.inflow, 0), coalesce(t.outflow, 0),
         (SELECT count(*) FROM interactions i WHERE i.customer_id = c.customer_id AND i.kind = 'complaint' AND i.date > @d365 AND i.date <= @asOf),
         CASE WHEN c.risk_assessed_at IS NOT NULL AND c.risk_assessed_at <= @asOf THEN (julianday(@asOf) - julianday(c.risk_assessed_at)) / 30.4375 END
       FROM customers c
       LEFT JOIN fx_bal b ON b.customer_id = c.customer_id
       LEFT JOIN fx_hold h ON h.customer_id = c.customer_id
       LEFT JOIN fx_txn t ON t.customer_id = c.customer_id
       LEFT JOIN fx_last l ON l.customer_id = c.customer_id
       WHERE c.open_date IS NULL OR c.open_date <= @asOf`,
    ).run(p);
    insertScores(db, runId);
    db.exec('DROP TABLE temp.fx_txn; DROP TABLE temp.fx_last; DROP TABLE temp.fx_bal; DROP TABLE temp.fx_hold');
  })();
  return { runId, asOf };
}

/** Tiers, lifecycle and an RFM class split at the means, from the run's features. */
function insertScores(db: Db, runId: number): void {
  db.prepare(
    `INSERT INTO customer_scores (run_id, customer_id, rfm_r, rfm_f, rfm_m, rfm_class, value_tier, lifecycle_stage)
     WITH m AS (SELECT avg(coalesce(days_since_last_active_txn, 9999)) AS r, avg(txn_count_365d) AS f, avg(aum_avg_3m) AS m FROM customer_features WHERE run_id = @run),
     x AS (
       SELECT f.customer_id,
         coalesce(f.days_since_last_active_txn, 9999) < m.r AS r_high, f.txn_count_365d > m.f AS f_high, f.aum_avg_3m > m.m AS m_high,
         f.aum_avg_3m AS aum, f.tenure_months, f.aum_change_pct_6m AS chg, f.days_since_last_active_txn AS idle, f.aum_latest
       FROM customer_features f, m WHERE f.run_id = @run)
     SELECT @run, customer_id, 1 + 4 * r_high, 1 + 4 * f_high, 1 + 4 * m_high,
       CASE m_high WHEN 1 THEN 'important_' ELSE 'general_' END ||
       CASE WHEN r_high AND f_high THEN 'value' WHEN r_high THEN 'develop' WHEN f_high THEN 'retain' ELSE 'winback' END,
       CASE WHEN aum >= 6000000 THEN 'private' WHEN aum >= 500000 THEN 'wealth' WHEN aum >= 50000 THEN 'affluent' ELSE 'mass' END,
       CASE WHEN tenure_months < 6 THEN 'new'
            WHEN aum_latest < 1000 AND chg IS NOT NULL AND chg <= -90 THEN 'churned'
            WHEN idle IS NULL OR idle >= 180 THEN 'dormant'
            WHEN chg <= -30 THEN 'declining'
            WHEN chg >= 20 THEN 'growing'
            ELSE 'mature' END
     FROM x`,
  ).run({ run: runId });
}

function shift(db: Db, month: string, months: number): string {
  return db.prepare("SELECT strftime('%Y-%m', ? || '-01', ? || ' months')").pluck().get(month, String(months)) as string;
}

function day(db: Db, date: string, days: number): string {
  return db.prepare("SELECT date(?, ? || ' days')").pluck().get(date, String(days)) as string;
}
