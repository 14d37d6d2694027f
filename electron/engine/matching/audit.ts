/**
 * The suitability audit (适当性检查, issue #9 §3): every stored recommendation of a matching run re-checked
 * against each rule of §1, in one SQL statement written apart from eligibility.ts, so that a mistake in the
 * judge is not repeated by its checker. It reads the workspace as it is, on the run's as-of date and with
 * the current settings: the screen's "适当性检查：0 条不适当推荐" is true of the list an analyst exports now.
 *
 * Rules, in the order of eligibility.ts: product on sale; not held on the date; age known and within the
 * product's limits; investment products rated; a product above R1 only with an assessment that is there,
 * dated and valid (assessed date + validity months, month ends kept as month ends, on or after the as-of
 * date); product risk ≤ customer level; the minimum amount of invested families within what the customer
 * could move (the mean over the last three complete balance months, per the amount basis).
 * The risk rules apply to the investment families only (理财, 基金, 保险, 贵金属, 养老金融), as in
 * eligibility.ts: deposits, loans, cards and services are not sold on a risk questionnaire.
 */
import type { SuitabilityAudit } from '../../../shared/matching';
import type { Settings } from '../../../shared/settings';
import type { Db } from '../db/workspace';
import { addMonthsToMonth, lastCompleteMonth } from '../analytics/dates';

const INVESTED = "('time_deposit', 'wealth', 'fund', 'insurance', 'precious_metal', 'pension')";
const RATED = "('wealth', 'fund', 'precious_metal')";
const SUITABILITY = "('wealth', 'fund', 'insurance', 'precious_metal', 'pension')";
const DATE_GLOB = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'";

// Each customer's facts are worked out once (MATERIALIZED), not once per recommendation: dates and ages
// are the dear part, and a customer has several recommendations.
const auditSql = (amount: string) => `
WITH rec AS MATERIALIZED (
  SELECT customer_id, product_id FROM recommendations WHERE run_id = @run
),
people AS MATERIALIZED (
  SELECT c.customer_id,
    CASE WHEN c.risk_level IN ('C1', 'C2', 'C3', 'C4', 'C5') THEN CAST(substr(c.risk_level, 2) AS INTEGER) END AS level,
    CASE WHEN c.birth_date GLOB ${DATE_GLOB} AND c.birth_date <= @asOf
      THEN CAST(substr(@asOf, 1, 4) AS INTEGER) - CAST(substr(c.birth_date, 1, 4) AS INTEGER) - (substr(@asOf, 6, 5) < substr(c.birth_date, 6, 5)) END AS age,
    CASE WHEN c.risk_assessed_at GLOB ${DATE_GLOB} THEN
      CASE WHEN c.risk_assessed_at = date(c.risk_assessed_at, 'start of month', '+1 month', '-1 day')
        THEN date(c.risk_assessed_at, 'start of month', '+' || (@valid + 1) || ' months', '-1 day')
        ELSE min(date(c.risk_assessed_at, 'start of month', '+' || @valid || ' months', '+' || (CAST(substr(c.risk_assessed_at, 9, 2) AS INTEGER) - 1) || ' days'),
                 date(c.risk_assessed_at, 'start of month', '+' || (@valid + 1) || ' months', '-1 day')) END
    END AS valid_until,
    coalesce((SELECT avg(${amount}) FROM balances b WHERE b.customer_id = c.customer_id AND b.month BETWEEN @firstMonth AND @month), 0) AS investable
  FROM customers c WHERE c.customer_id IN (SELECT customer_id FROM rec)
),
facts AS (
  SELECT rec.customer_id, rec.product_id, p.product_id AS known, p.active, p.category, p.min_age, p.max_age, p.min_amount,
    CASE WHEN p.risk_rating IN ('R1', 'R2', 'R3', 'R4', 'R5') THEN CAST(substr(p.risk_rating, 2) AS INTEGER) END AS rating,
    people.level, people.age, people.valid_until, coalesce(people.investable, 0) AS investable,
    EXISTS (SELECT 1 FROM holdings h WHERE h.customer_id = rec.customer_id AND h.product_id = rec.product_id
            AND h.opened_at <= @asOf AND (h.closed_at IS NULL OR h.closed_at > @asOf)) AS held
  FROM rec
  LEFT JOIN people ON people.customer_id = rec.customer_id
  LEFT JOIN products p ON p.product_id = rec.product_id
)
SELECT customer_id, product_id, CASE
    WHEN known IS NULL OR active = 0 THEN 'inactive'
    WHEN held THEN 'held'
    WHEN (min_age IS NOT NULL OR max_age IS NOT NULL) AND age IS NULL THEN 'age_unknown'
    WHEN min_age IS NOT NULL AND age < min_age THEN 'too_young'
    WHEN max_age IS NOT NULL AND age > max_age THEN 'too_old'
    WHEN rating IS NULL AND category IN ${RATED} THEN 'unrated'
    WHEN category IN ${SUITABILITY} AND rating > 1 AND (level IS NULL OR valid_until IS NULL) THEN 'no_assessment'
    WHEN category IN ${SUITABILITY} AND rating > 1 AND valid_until < @asOf THEN 'assessment_expired'
    WHEN category IN ${SUITABILITY} AND rating > level THEN 'above_risk_level'
    WHEN min_amount > 0 AND category IN ${INVESTED} AND investable < min_amount THEN 'below_min_amount'
  END AS broken
FROM facts`;

/** Re-checks every recommendation of `runId` as of `asOf`. */
export function auditRecommendations(db: Db, runId: number, asOf: string, settings: Settings): SuitabilityAudit {
  const month = lastCompleteMonth(asOf);
  const amount = settings.suitability.amountBasis === 'aum_avg_3m' ? 'aum' : 'coalesce(deposit, aum)';
  const params = { run: runId, asOf, month, firstMonth: addMonthsToMonth(month, -2), valid: settings.suitability.riskAssessmentValidMonths };
  const counts = db.prepare(`SELECT broken, count(*) AS n FROM (${auditSql(amount)}) GROUP BY broken`).all(params) as { broken: string | null; n: number }[];
  let checked = 0;
  const byRule: Record<string, number> = {};
  for (const row of counts) {
    checked += row.n;
    if (row.broken !== null) byRule[row.broken] = row.n;
  }
  const unsuitable = checked - (counts.find((r) => r.broken === null)?.n ?? 0);
  const examples =
    unsuitable === 0
      ? []
      : (db.prepare(`SELECT customer_id AS customerId, product_id AS productId, broken AS rule FROM (${auditSql(amount)}) WHERE broken IS NOT NULL ORDER BY customer_id, product_id LIMIT 20`).all(params) as SuitabilityAudit['examples']);
  return { runId, checkedAt: new Date().toISOString(), checked, unsuitable, byRule, examples };
}
