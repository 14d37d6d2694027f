/**
 * One walk over the customers that yields every monthly figure of the overview. Each customer's balance
 * months, holdings and latest scores come from SQL already grouped per customer and in customer order
 * (the primary keys are walked, no sort), and are merged here (ordered-stream.ts); per customer and month
 * the state is decided with the analysis's own rules, so the as-of month agrees with the customer analysis:
 *
 * - opened at month m: open_date ≤ the month's last day (blank: the first balance month or the first
 *   holding, as the churn labels read it);
 * - lost (流失) at m: the lifecycle rule of scores/lifecycle.ts read at m's month end: holdings opened and
 *   every one closed, or the latest monthly AUM within 12 months under churnAumBelow after a month over
 *   churnAumWasAbove. A customer is lost in m when he is lost at m and was not at m − 1;
 * - on the books (在册) at m: opened and not lost;
 * - tier at m: scores/tiers.ts tierOf over the mean of the balance rows among m − 2..m (the features'
 *   aum_avg_3m), so the as-of month's tier mix is the analysis's;
 * - products held at m: holdings opened by and not closed by m's month end; a purchase is a holding
 *   opened in the month.
 *
 * Value (profit contribution and CLV, value.ts) is figured for the as-of month only, by tier and by segment.
 */
import type { TierKey } from '../../../../shared/reports';
import type { Settings } from '../../../../shared/settings';
import { tierOf } from '../../analytics/scores/tiers';
import type { Db } from '../../db/workspace';
import { OrderedStream } from './ordered-stream';
import { annualProfit, annualRetention, ASSET_CATEGORIES, clvFactor, type HeldBalance } from './value';
import type { MonthWindow } from './months';

export const TIER_KEYS: readonly TierKey[] = ['mass', 'affluent', 'wealth', 'private', 'no_record'];
const TIER_RANK: Readonly<Record<TierKey, number>> = { no_record: -1, mass: 0, affluent: 1, wealth: 2, private: 3 };

export interface MonthlyTotals {
  opened: Int32Array;
  onBook: Int32Array;
  newCustomers: Int32Array;
  lost: Int32Array;
  tierUp: Int32Array;
  tierDown: Int32Array;
  /** Σ products held by the customers on the books. */
  productsHeld: Float64Array;
  buyers: Int32Array;
  repeatBuyers: Int32Array;
  /** Σ balances.aum of the month, every customer with a row. */
  aumMonthly: Float64Array;
  /** Σ 3-month average AUM over opened customers (the tiers screen's 资产总额). */
  aumAvg3: Float64Array;
  tiers: Record<TierKey, Int32Array>;
  /** Customers on the books per community id, per month. */
  communities: Map<string, Int32Array>;
}

export interface ValueAccumulator {
  customers: number;
  profit: number;
  /** CLV of the customers the churn model scored. */
  clvScored: number;
  /** Profit of the customers it did not: their CLV takes the observed retention afterwards. */
  profitUnscored: number;
  retentionSum: number;
  retentionCount: number;
}

export interface ManagerAccumulator {
  customers: number;
  aum: number;
  aumPrevious: number;
  highRisk: number;
}

export interface PassResult {
  totals: MonthlyTotals;
  /** Holders per product family on the books, at the as-of month and the month before. */
  families: Map<string, [number, number]>;
  managers: Map<string, ManagerAccumulator>;
  communityAum: Map<string, number>;
  value: { byTier: Map<TierKey, ValueAccumulator>; bySegment: Map<string, ValueAccumulator>; total: ValueAccumulator };
  /** Σ current balances of asset holdings held at the as-of month end (月末时点资产). */
  monthEndAum: number;
  customersTotal: number;
}

export interface PassOptions {
  window: MonthWindow;
  settings: Settings;
  /** The customer_scores run whose RFM class and churn probability are read, if any. */
  scoreRunId: number | null;
  churnHorizonMonths: number;
  /** Saved segments by customer, when the workspace has any; the RFM class otherwise. */
  segments: Map<string, string[]> | null;
  rfmLabels: Readonly<Record<string, string>>;
  balancesAvailable: boolean;
  repeatWindowMonths: number;
  /** The manager key of customers without one. */
  unassigned: string;
  tick?: () => void;
}

type CustomerRow = [string, string | null, string | null, string | null];
type BalanceRow = [string, string | null, number | null, string | null];
type HoldingRow = [string, string];
type ScoreRow = [string, string | null, number | null, string | null];
type Holding = [string, string | null, string | null, number | null];

const monthNumber = (text: string) => Number(text.slice(0, 4)) * 12 + Number(text.slice(5, 7)) - 1;

const emptyValue = (): ValueAccumulator => ({ customers: 0, profit: 0, clvScored: 0, profitUnscored: 0, retentionSum: 0, retentionCount: 0 });

function totalsFor(count: number): MonthlyTotals {
  const ints = () => new Int32Array(count);
  return {
    opened: ints(),
    onBook: ints(),
    newCustomers: ints(),
    lost: ints(),
    tierUp: ints(),
    tierDown: ints(),
    productsHeld: new Float64Array(count),
    buyers: ints(),
    repeatBuyers: ints(),
    aumMonthly: new Float64Array(count),
    aumAvg3: new Float64Array(count),
    tiers: { mass: ints(), affluent: ints(), wealth: ints(), private: ints(), no_record: ints() },
    communities: new Map(),
  };
}

export function monthlyPass(db: Db, options: PassOptions): PassResult {
  const { window, settings } = options;
  const count = window.months.length;
  const last = window.last;
  const month0 = monthNumber(window.months[0] as string);
  const rules = settings.lifecycle;
  const totals = totalsFor(count);
  const families = new Map<string, [number, number]>();
  const managers = new Map<string, ManagerAccumulator>();
  const communityAum = new Map<string, number>();
  const value = { byTier: new Map<TierKey, ValueAccumulator>(), bySegment: new Map<string, ValueAccumulator>(), total: emptyValue() };
  let monthEndAum = 0;
  let customersTotal = 0;

  const customers = db.prepare('SELECT customer_id, open_date, manager_id, community_id FROM customers ORDER BY customer_id').raw().iterate() as IterableIterator<CustomerRow>;
  const balances = new OrderedStream(
    db
      .prepare(
        `SELECT customer_id, json_group_object(month, aum) FILTER (WHERE month >= @from), max(aum) FILTER (WHERE month < @from), min(month)
         FROM balances WHERE month <= @to GROUP BY customer_id ORDER BY customer_id`,
      )
      .raw()
      .iterate({ from: window.months[0], to: window.months[last] }) as IterableIterator<BalanceRow>,
  );
  const holdings = new OrderedStream(
    db
      .prepare(
        `SELECT h.customer_id, json_group_array(json_array(h.opened_at, h.closed_at, p.category, h.balance))
         FROM holdings h LEFT JOIN products p ON p.product_id = h.product_id
         GROUP BY h.customer_id ORDER BY h.customer_id`,
      )
      .raw()
      .iterate() as IterableIterator<HoldingRow>,
  );
  const scores =
    options.scoreRunId === null
      ? null
      : new OrderedStream(
          db
            .prepare('SELECT customer_id, rfm_class, churn_prob, churn_band FROM customer_scores WHERE run_id = ? ORDER BY customer_id')
            .raw()
            .iterate(options.scoreRunId) as IterableIterator<ScoreRow>,
        );

  const monthAt = new Map(window.months.map((m, k) => [m, k]));
  // Product families as small integers, so that a customer's families are ticked in arrays, not sets.
  const familyIndex = new Map<string, number>();
  const familyNames: string[] = [];
  const familyOf = (category: string) => {
    let i = familyIndex.get(category);
    if (i === undefined) {
      i = familyNames.length;
      familyIndex.set(category, i);
      familyNames.push(category);
      seenNow.push(0);
      seenBefore.push(0);
    }
    return i;
  };
  const seenNow: number[] = [];
  const seenBefore: number[] = [];
  let stamp = 0;
  const clvFactors = new Map<number, number>();
  const aum = new Float64Array(count);
  const avg3 = new Float64Array(count);
  const tierAt = new Int8Array(count);
  const tierKeyAt: TierKey[] = new Array<TierKey>(count);
  try {
    for (const [id, openDate, managerId, communityId] of customers) {
      options.tick?.();
      customersTotal++;
      const bal = balances.take(id);
      const hold = holdings.take(id);
      const score = scores?.take(id);

      aum.fill(Number.NaN);
      if (bal?.[1]) {
        const byMonth = JSON.parse(bal[1]) as Record<string, number | null>;
        for (const month in byMonth) {
          const k = monthAt.get(month);
          const v = byMonth[month];
          if (k !== undefined && typeof v === 'number') aum[k] = v;
        }
      }
      const held = hold ? (JSON.parse(hold[1]) as Holding[]) : [];
      const openedIdx = held.map((h) => (typeof h[0] === 'string' ? monthNumber(h[0]) - month0 : Number.POSITIVE_INFINITY));
      const closedIdx = held.map((h) => (typeof h[1] === 'string' && h[1] !== '' ? monthNumber(h[1]) - month0 : Number.POSITIVE_INFINITY));
      const openedFrom = openedAt(openDate, bal?.[3] ?? null, held);

      let peak = typeof bal?.[2] === 'number' ? bal[2] : Number.NEGATIVE_INFINITY;
      let latest = Number.NaN;
      let latestK = Number.NEGATIVE_INFINITY;
      let wasOpened = false;
      let wasLost = false;
      for (let k = 0; k < count; k++) {
        const a = aum[k] as number;
        if (a === a) {
          totals.aumMonthly[k] += a;
          if (a > peak) peak = a;
          latest = a;
          latestK = k;
        } else if (k - latestK > 11) latest = Number.NaN;
        const opened = openedFrom === null || openedFrom <= (window.ends[k] as string);
        if (!opened) {
          avg3[k] = Number.NaN;
          tierAt[k] = -2;
          continue;
        }
        let sum = 0;
        let rows = 0;
        for (let j = Math.max(0, k - 2); j <= k; j++) {
          const v = aum[j] as number;
          if (v === v) {
            sum += v;
            rows++;
          }
        }
        avg3[k] = rows > 0 ? sum / rows : Number.NaN;

        let ever = 0;
        let open = 0;
        let bought = 0;
        for (let h = 0; h < held.length; h++) {
          const from = openedIdx[h] as number;
          if (from <= k) {
            ever++;
            if (k < (closedIdx[h] as number)) open++;
            if (from > k - options.repeatWindowMonths) bought++;
          }
        }
        const lost = (ever > 0 && open === 0) || (options.balancesAvailable && latest < rules.churnAumBelow && peak > rules.churnAumWasAbove);

        totals.opened[k]++;
        if (avg3[k] === avg3[k]) totals.aumAvg3[k] += avg3[k] as number;
        if (openDate !== null && openDate.slice(0, 7) === window.months[k]) totals.newCustomers[k]++;
        if (lost && wasOpened && !wasLost) totals.lost[k]++;
        const tier = tierOf(avg3[k] as number, settings.tiers);
        tierKeyAt[k] = tier;
        tierAt[k] = lost ? -2 : TIER_RANK[tier];
        if (!lost) {
          totals.onBook[k]++;
          totals.tiers[tier][k]++;
          totals.productsHeld[k] += open;
          if (bought > 0) totals.buyers[k]++;
          if (bought > 1) totals.repeatBuyers[k]++;
          if (communityId !== null) communityCounts(totals, communityId, count)[k]++;
          const before = k > 0 ? (tierAt[k - 1] as number) : -2;
          if (before >= 0 && TIER_RANK[tier] > before) totals.tierUp[k]++;
          if (before >= 0 && TIER_RANK[tier] < before) totals.tierDown[k]++;
        }
        wasOpened = true;
        wasLost = lost;
      }

      if (!wasOpened) continue;
      // The as-of month: managers, communities, families and value.
      const manager = managerOf(managers, managerId ?? options.unassigned);
      const avgNow = avg3[last] as number;
      const avgBefore = avg3[last - 1] as number;
      if (avgNow === avgNow) manager.aum += avgNow;
      if (avgBefore === avgBefore) manager.aumPrevious += avgBefore;
      const onBookBefore = (tierAt[last - 1] as number) !== -2;
      const heldNow: HeldBalance[] = [];
      stamp++;
      for (let h = 0; h < held.length; h++) {
        const family = familyOf(held[h]![2] ?? 'unknown');
        if ((openedIdx[h] as number) <= last && last < (closedIdx[h] as number)) {
          heldNow.push({ category: held[h]![2], balance: held[h]![3] });
          if (!wasLost && seenNow[family] !== stamp) {
            seenNow[family] = stamp;
            familyCounts(families, familyNames[family] as string)[0]++;
          }
        }
        if (onBookBefore && (openedIdx[h] as number) <= last - 1 && last - 1 < (closedIdx[h] as number) && seenBefore[family] !== stamp) {
          seenBefore[family] = stamp;
          familyCounts(families, familyNames[family] as string)[1]++;
        }
      }
      if (wasLost) continue;

      manager.customers++;
      if (score?.[3] === 'high') manager.highRisk++;
      if (communityId !== null && avgNow === avgNow) communityAum.set(communityId, (communityAum.get(communityId) ?? 0) + avgNow);
      for (const h of heldNow) if (h.category !== null && ASSET_CATEGORIES.has(h.category) && typeof h.balance === 'number') monthEndAum += h.balance;

      const profit = annualProfit(heldNow, aum[last] as number, settings.value);
      const probability = typeof score?.[2] === 'number' ? score[2] : null;
      const retention = probability === null ? null : annualRetention(probability, options.churnHorizonMonths);
      const clv = retention === null ? null : profit * factorFor(clvFactors, retention, settings.value);
      const tierKey = tierKeyAt[last] as TierKey;
      const segmentKeys = options.segments ? (options.segments.get(id) ?? []) : score?.[1] ? [options.rfmLabels[score[1]] ?? score[1]] : [];
      const buckets = [value.total, bucket(value.byTier, tierKey), ...segmentKeys.map((key) => bucket(value.bySegment, key))];
      for (const acc of buckets) {
        acc.customers++;
        acc.profit += profit;
        if (clv === null) acc.profitUnscored += profit;
        else {
          acc.clvScored += clv;
          acc.retentionSum += retention as number;
          acc.retentionCount++;
        }
      }
    }
  } finally {
    balances.close();
    holdings.close();
    scores?.close();
  }
  return { totals, families, managers, communityAum, value, monthEndAum, customersTotal };
}

/** When the customer counts as opened: open_date, else the first balance month, else the first holding. */
function openedAt(openDate: string | null, firstBalanceMonth: string | null, held: readonly Holding[]): string | null {
  if (openDate) return openDate;
  if (firstBalanceMonth) return `${firstBalanceMonth}-01`;
  let first: string | null = null;
  for (const h of held) if (typeof h[0] === 'string' && (first === null || h[0] < first)) first = h[0];
  return first;
}

function communityCounts(totals: MonthlyTotals, communityId: string, count: number): Int32Array {
  let counts = totals.communities.get(communityId);
  if (!counts) {
    counts = new Int32Array(count);
    totals.communities.set(communityId, counts);
  }
  return counts;
}

function familyCounts(families: Map<string, [number, number]>, category: string): [number, number] {
  let counts = families.get(category);
  if (!counts) {
    counts = [0, 0];
    families.set(category, counts);
  }
  return counts;
}

function managerOf(managers: Map<string, ManagerAccumulator>, key: string): ManagerAccumulator {
  let acc = managers.get(key);
  if (!acc) {
    acc = { customers: 0, aum: 0, aumPrevious: 0, highRisk: 0 };
    managers.set(key, acc);
  }
  return acc;
}

function bucket<K>(map: Map<K, ValueAccumulator>, key: K): ValueAccumulator {
  let acc = map.get(key);
  if (!acc) {
    acc = emptyValue();
    map.set(key, acc);
  }
  return acc;
}

/**
 * Σ retention^t / (1 + r)^t for a retention, remembered per pass: retention takes few distinct values
 * (probabilities come from the forest's leaves), and the sum over the horizon is the costliest step of CLV.
 */
function factorFor(cache: Map<number, number>, retention: number, value: Settings['value']): number {
  let factor = cache.get(retention);
  if (factor === undefined) {
    factor = clvFactor(retention, value.discountRate, value.clvHorizonYears);
    cache.set(retention, factor);
  }
  return factor;
}
