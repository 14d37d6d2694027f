/**
 * Balance features, from the monthly average balances (`balances`, one row per customer and month). M is
 * the latest balance month complete on the as-of date (dates.ts lastCompleteMonth); no month after M is
 * read. b[k] below is the customer's AUM in month M − k, missing when he has no row that month.
 *
 * - aum_latest: b[k] for the smallest k in 0..11 with a row: the latest monthly AUM within 12 months.
 * - aum_avg_3m: mean of the rows among b[0..2]; aum_avg_12m: mean of the rows among b[0..11]. Months
 *   without a row are left out of the mean, not counted as zero (a customer opened two months ago has a
 *   2-month average).
 * - aum_trend_slope_6m: ordinary least-squares slope of b[k] against the month (x = −k) over the rows
 *   among b[0..5], in 元 per month; needs two rows.
 * - aum_change_pct_6m: (last − first) / first × 100, first and last being the earliest and the latest rows
 *   among b[0..5], in percentage points (−35 = down 35%); needs two rows and first > 0.
 * - deposit_share / wealth_share / loan_share: Σ component / Σ aum over the rows of b[0..2] where that
 *   component is known, i.e. the 3-month average deposit over the 3-month average AUM (存款日均/资产日均).
 *   Deposit and wealth shares are clamped to 0–1 (rounding in bank exports can push a part over the whole);
 *   loans may exceed assets, so loan_share is only kept ≥ 0. NaN when the AUM sum is not positive.
 *
 * For the scores: the highest b[k] over k = 3..8 (the six months before the 3-month window, for 衰退) and
 * the highest monthly AUM in any month up to M (for 流失: "after having been over").
 *
 * Query plan: the primary key (customer_id, month) of the WITHOUT ROWID table is walked in order, so the
 * groups come out in customer order without a sort or a lookup. Rows up to M are read in full for the
 * all-time high; the window's months are filtered inside the aggregates.
 */
import type { Db } from '../../db/workspace';
import { num, rangeParams, rangeSql, type CustomerRange, type PassContext } from './pass';
import { BALANCE_WINDOW_MONTHS, type FeatureWindows } from './windows';

/**
 * The window's AUM comes back as one JSON object per customer ({"2026-08": 1234.5, …}) and the last three
 * months' parts as one JSON array of [aum, deposit, wealth, loan]: measured at half the CPU of twelve
 * conditional aggregates (one per month), which compare every row's month twelve times.
 */
const sql = (range: CustomerRange) => `SELECT customer_id,
  json_group_object(month, aum) FILTER (WHERE month >= @first),
  json_group_array(json_array(aum, deposit, wealth, loan)) FILTER (WHERE month >= @first3),
  max(aum)
FROM balances
WHERE month <= @latest${rangeSql(range, 'customer_id')}
GROUP BY customer_id
ORDER BY customer_id`;

const ANY_SQL = 'SELECT EXISTS (SELECT 1 FROM balances WHERE month <= ?) AS found';

type Parts = [number, number | null, number | null, number | null];

export function balancesAvailable(db: Db, w: FeatureWindows): boolean {
  return (db.prepare(ANY_SQL).get(w.balanceMonths[0]) as { found: number }).found === 1;
}

export function balancesPass(ctx: PassContext): void {
  const { db, w, range, index, col, inputs, tick } = ctx;
  const monthIndex = new Map(w.balanceMonths.map((month, k) => [month, k]));
  const params = { latest: w.balanceMonths[0], first: w.balanceMonths[BALANCE_WINDOW_MONTHS - 1], first3: w.balanceMonths[2], ...rangeParams(range) };
  const b = new Float64Array(BALANCE_WINDOW_MONTHS);
  const iterator = db.prepare(sql(range)).raw().iterate(params) as IterableIterator<[string, string, string, number]>;
  for (const r of iterator) {
    tick();
    const i = index.get(r[0]);
    if (i === undefined) continue;
    b.fill(Number.NaN);
    const byMonth = JSON.parse(r[1]) as Record<string, number | null>;
    for (const month in byMonth) {
      const k = monthIndex.get(month);
      if (k !== undefined) b[k] = num(byMonth[month]);
    }
    col.aum_latest[i] = latest(b);
    col.aum_avg_3m[i] = mean(b, 0, 3);
    col.aum_avg_12m[i] = mean(b, 0, BALANCE_WINDOW_MONTHS);
    col.aum_trend_slope_6m[i] = slope(b, 6);
    col.aum_change_pct_6m[i] = changePct(b, 6);
    const parts = JSON.parse(r[2]) as Parts[];
    col.deposit_share[i] = share(parts, 1, 1);
    col.wealth_share[i] = share(parts, 2, 1);
    col.loan_share[i] = share(parts, 3, Number.POSITIVE_INFINITY);
    inputs.aumPeakPrior6m[i] = max(b, 3, 9);
    inputs.aumMaxEver[i] = num(r[3]);
  }
}

/** Σ part / Σ aum over the rows where the part is known, clamped to [0, cap]; NaN unless Σ aum > 0. */
function share(parts: Parts[], at: 1 | 2 | 3, cap: number): number {
  let part = 0;
  let whole = 0;
  for (const row of parts) {
    const value = row[at];
    if (value === null || typeof row[0] !== 'number') continue;
    part += value;
    whole += row[0];
  }
  return whole > 0 ? Math.min(cap, Math.max(0, part / whole)) : Number.NaN;
}

function latest(b: Float64Array): number {
  for (let k = 0; k < b.length; k++) if (b[k] === b[k]) return b[k] as number;
  return Number.NaN;
}

function mean(b: Float64Array, from: number, to: number): number {
  let sum = 0;
  let count = 0;
  for (let k = from; k < to; k++) {
    const v = b[k] as number;
    if (v === v) {
      sum += v;
      count++;
    }
  }
  return count > 0 ? sum / count : Number.NaN;
}

function max(b: Float64Array, from: number, to: number): number {
  let best = Number.NaN;
  for (let k = from; k < to; k++) {
    const v = b[k] as number;
    if (v === v && !(v <= best)) best = v;
  }
  return best;
}

/** OLS slope of b[k] on x = −k over k < months, per month. */
export function slope(b: Float64Array, months: number): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let k = 0; k < months; k++) {
    const y = b[k] as number;
    if (y !== y) continue;
    const x = -k;
    n++;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const denominator = n * sxx - sx * sx;
  return n >= 2 && denominator !== 0 ? (n * sxy - sx * sy) / denominator : Number.NaN;
}

/** Percentage change from the earliest to the latest row among b[0..months-1]. */
export function changePct(b: Float64Array, months: number): number {
  let last = -1;
  let first = -1;
  for (let k = 0; k < months; k++) {
    if (b[k] !== b[k]) continue;
    if (last < 0) last = k;
    first = k;
  }
  if (first <= last) return Number.NaN;
  const from = b[first] as number;
  return from > 0 ? (((b[last] as number) - from) / from) * 100 : Number.NaN;
}
