/**
 * The customers of an as-of date and their profile features.
 *
 * - Population: every customer whose open_date is on or before the as-of date, or unknown (a customer
 *   without an open date was there as far as we know). A customer opened after the as-of date did not
 *   exist yet and is left out. Ordered by customer_id.
 * - age: whole years from birth_date to the as-of date (the arithmetic of the rule field `age`); NaN when
 *   the birth date is unknown or after the as-of date.
 * - tenure_months: completed calendar months from open_date to the as-of date (dates.ts completedMonths;
 *   on a month-end as-of date, an account opened on the 31st completes a month on the 30th of a shorter
 *   month); NaN when the open date is unknown.
 * - months_since_risk_assessment: completed months from risk_assessed_at to the as-of date. A customer
 *   record holds only the latest assessment: when it is dated after the as-of date, the assessment valid
 *   on the as-of date is unknown, so the value is NaN rather than a figure read from the future. Being
 *   read from a latest-value field, it is never a training feature (latest-value.ts).
 */
import { FEATURE_KEYS, type FeatureKey } from '../../../../shared/analytics';
import type { Db } from '../../db/workspace';
import { completedMonths, dayNumber, isMonthEnd, looksLikeDate, wholeYears } from '../dates';

export interface CustomerRows {
  ids: string[];
  index: Map<string, number>;
  col: Record<FeatureKey, Float64Array>;
  daysSinceOpen: Float64Array;
}

const SQL = `SELECT customer_id, birth_date, open_date, risk_assessed_at FROM customers
  WHERE open_date IS NULL OR open_date <= ? ORDER BY customer_id`;

export function loadCustomers(db: Db, asOf: string, tick: () => void): CustomerRows {
  const rows = db.prepare(SQL).raw().all(asOf) as [string, string | null, string | null, string | null][];
  const n = rows.length;
  const col = Object.fromEntries(FEATURE_KEYS.map((key) => [key, new Float64Array(n).fill(Number.NaN)])) as Record<FeatureKey, Float64Array>;
  const daysSinceOpen = new Float64Array(n).fill(Number.NaN);
  const ids = new Array<string>(n);
  const index = new Map<string, number>();
  const asOfDay = dayNumber(asOf);
  const asOfIsMonthEnd = isMonthEnd(asOf);
  const { age, tenure_months: tenure, months_since_risk_assessment: riskMonths } = col;
  for (let i = 0; i < n; i++) {
    const [id, birth, open, assessed] = rows[i]!;
    ids[i] = id;
    index.set(id, i);
    if (looksLikeDate(birth) && birth <= asOf) age[i] = wholeYears(birth, asOf);
    if (looksLikeDate(open)) {
      tenure[i] = completedMonths(open, asOf, asOfIsMonthEnd);
      daysSinceOpen[i] = asOfDay - dayNumber(open);
    }
    if (looksLikeDate(assessed) && assessed <= asOf) riskMonths[i] = completedMonths(assessed, asOf, asOfIsMonthEnd);
    tick();
  }
  return { ids, index, col, daysSinceOpen };
}
