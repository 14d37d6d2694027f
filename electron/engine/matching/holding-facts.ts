/**
 * What a customer's holdings say on a date D, for product matching: the families and products held, the
 * highest product risk held, time deposits coming due or just come due without renewal, and how recently the
 * customer took up anything new. Everything is read from holdings opened on or before D and their dates
 * (opened_at, closed_at, the product's term), so it is time-honest: on D nobody could have known more.
 * holdings.balance holds only the latest balance, so balances are read only when D is the data's own date
 * (for the reasons shown beside a recommendation), never for a training feature.
 *
 * A holding is held on D when opened_at ≤ D and closed_at is empty or after D, as in the features.
 * A time deposit falls due on opened_at + term_months (month arithmetic of dates.ts).
 */
import type { Db } from '../db/workspace';
import { addMonths, completedMonths, isMonthEnd } from '../analytics/dates';

/** Months back that count as "just come due" for a time deposit that was not renewed. */
export const MATURED_LOOKBACK_MONTHS = 3;

export interface HoldingFacts {
  readonly asOf: string;
  /** Per category, 1 where the customer holds a product of it on D. */
  readonly heldCategory: ReadonlyMap<string, Uint8Array>;
  /** Products held on D per customer row (undefined: none). */
  readonly heldProducts: readonly (readonly string[] | undefined)[];
  /** Highest risk rating (1..5) among products held; 0 when none is rated. */
  readonly maxRiskHeld: Float64Array;
  /** Time deposits held on D that fall due in (D, D + h]. */
  readonly depositsDue: Float64Array;
  /** Their latest balance, 元 (only meaningful when D is the data's date). */
  readonly depositsDueAmount: Float64Array;
  /** Time deposits closed in (D − 3 months, D] with no time deposit opened since. */
  readonly depositsMaturedUnrenewed: Float64Array;
  /** Holdings opened in (D − 12 months, D]. */
  readonly openings12m: Float64Array;
  /** Completed months since the latest opening; NaN when none. */
  readonly monthsSinceOpening: Float64Array;
}

interface Row {
  customer_id: string;
  product_id: string;
  category: string | null;
  risk_rating: string | null;
  term_months: number | null;
  opened_at: string;
  closed_at: string | null;
  balance: number | null;
}

const SQL = `SELECT h.customer_id, h.product_id, p.category, p.risk_rating, p.term_months, h.opened_at, h.closed_at, h.balance
  FROM holdings h LEFT JOIN products p ON p.product_id = h.product_id
  WHERE h.opened_at <= ?`;

/**
 * The facts of every customer of `index` (customer id → row) on `asOf`, for `categories`.
 * @param horizonMonths how far ahead a time deposit counts as coming due
 */
export function holdingFacts(db: Db, asOf: string, index: ReadonlyMap<string, number>, categories: readonly string[], horizonMonths: number): HoldingFacts {
  const n = index.size;
  const heldCategory = new Map(categories.map((c) => [c, new Uint8Array(n)] as const));
  const heldProducts: (string[] | undefined)[] = new Array(n);
  const maxRiskHeld = new Float64Array(n);
  const depositsDue = new Float64Array(n);
  const depositsDueAmount = new Float64Array(n);
  const depositsMaturedUnrenewed = new Float64Array(n);
  const openings12m = new Float64Array(n);
  const monthsSinceOpening = new Float64Array(n).fill(Number.NaN);
  const latestOpening: (string | undefined)[] = new Array(n);
  const latestDepositOpened: (string | undefined)[] = new Array(n);
  const maturedOn: (string[] | undefined)[] = new Array(n);

  const dueBy = addMonths(asOf, horizonMonths);
  const maturedFrom = addMonths(asOf, -MATURED_LOOKBACK_MONTHS);
  const openedFrom = addMonths(asOf, -12);
  for (const r of db.prepare(SQL).iterate(asOf) as IterableIterator<Row>) {
    const i = index.get(r.customer_id);
    if (i === undefined) continue;
    const held = r.closed_at === null || r.closed_at > asOf;
    const deposit = r.category === 'time_deposit';
    if (r.opened_at > openedFrom) openings12m[i]!++;
    if (latestOpening[i] === undefined || r.opened_at > latestOpening[i]!) latestOpening[i] = r.opened_at;
    if (deposit && (latestDepositOpened[i] === undefined || r.opened_at > latestDepositOpened[i]!)) latestDepositOpened[i] = r.opened_at;
    if (deposit && r.closed_at !== null && r.closed_at > maturedFrom && r.closed_at <= asOf) (maturedOn[i] ??= []).push(r.closed_at);
    if (!held) continue;
    (heldProducts[i] ??= []).push(r.product_id);
    if (r.category !== null) {
      const flags = heldCategory.get(r.category);
      if (flags) flags[i] = 1;
    }
    const risk = riskOf(r.risk_rating);
    if (risk > maxRiskHeld[i]!) maxRiskHeld[i] = risk;
    if (deposit && r.term_months !== null && r.term_months > 0) {
      const due = addMonths(r.opened_at, r.term_months);
      if (due > asOf && due <= dueBy) {
        depositsDue[i]!++;
        depositsDueAmount[i]! += r.balance ?? 0;
      }
    }
  }
  const monthEnd = isMonthEnd(asOf);
  for (let i = 0; i < n; i++) {
    const opened = latestOpening[i];
    if (opened !== undefined) monthsSinceOpening[i] = Math.max(0, completedMonths(opened, asOf, monthEnd));
    const matured = maturedOn[i];
    // A deposit opened on or after the day one came due is its renewal (转存): not "matured, not renewed".
    if (matured) depositsMaturedUnrenewed[i] = matured.filter((day) => latestDepositOpened[i] === undefined || latestDepositOpened[i]! < day).length;
  }
  return { asOf, heldCategory, heldProducts, maxRiskHeld, depositsDue, depositsDueAmount, depositsMaturedUnrenewed, openings12m, monthsSinceOpening };
}

export function riskOf(rating: string | null): number {
  if (!rating || rating.length !== 2 || rating[0] !== 'R') return 0;
  const k = Number(rating[1]);
  return k >= 1 && k <= 5 ? k : 0;
}

/** Customers who opened a product in (from, to]: customer id → product ids. */
export function newHoldings(db: Db, from: string, to: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const rows = db.prepare('SELECT customer_id, product_id FROM holdings WHERE opened_at > ? AND opened_at <= ?').iterate(from, to) as IterableIterator<{ customer_id: string; product_id: string }>;
  for (const r of rows) {
    let set = out.get(r.customer_id);
    if (!set) out.set(r.customer_id, (set = new Set()));
    set.add(r.product_id);
  }
  return out;
}
