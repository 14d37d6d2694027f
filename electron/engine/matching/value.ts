/**
 * What a recommendation is worth to the branch (issue #9 §2, DESIGN.md §4 seed 001): the expected annual
 * contribution of a product family = its margin rate (settings.value.marginRates: deposits at the net
 * interest margin, wealth and funds at the fee rate, loans at their spread) × the balance a new holder can be
 * expected to keep.
 *
 * The expected balance is the median balance of the family's current holders in the customer's value tier
 * (all tiers when the tier has fewer than MIN_HOLDERS); for a family whose holdings carry no balance
 * (代发工资, 手机银行) it is the median 3-month AUM its holders keep with the bank. For money the customer
 * invests, it is capped by what the customer could move (the eligibility's investable amount) and is never
 * below the product's minimum.
 */
import type { Settings } from '../../../shared/settings';
import type { Db } from '../db/workspace';

/** Fewer holders than this in a tier and the family's median over all tiers is used. */
export const MIN_HOLDERS = 20;
const INVESTED = new Set(['time_deposit', 'wealth', 'fund', 'insurance', 'precious_metal', 'pension']);

export interface ValueModel {
  marginRate(category: string): number;
  /** 元; null when nobody holds the family. */
  expectedBalance(category: string, tier: string | null): number | null;
  /** v₀ of the value lever: the median annual contribution of a current holding, 元. */
  readonly reference: number;
}

export interface ValueInputs {
  asOf: string;
  /** Value tier of each customer scored. */
  tierOf: ReadonlyMap<string, string | null>;
  /** 3-month average AUM of each customer scored. */
  aumOf: ReadonlyMap<string, number>;
  settings: Settings;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 === 1 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}

export function valueModel(db: Db, inputs: ValueInputs): ValueModel {
  const rates = inputs.settings.value.marginRates as Record<string, number>;
  const marginRate = (category: string) => rates[category] ?? 0;
  const balances = new Map<string, number[]>();
  const holderAum = new Map<string, number[]>();
  const contributions: number[] = [];
  const push = (map: Map<string, number[]>, key: string, value: number) => {
    let list = map.get(key);
    if (!list) map.set(key, (list = []));
    list.push(value);
  };
  const rows = db
    .prepare(
      `SELECT h.customer_id, p.category, h.balance FROM holdings h JOIN products p ON p.product_id = h.product_id
       WHERE h.opened_at <= ? AND (h.closed_at IS NULL OR h.closed_at > ?)`,
    )
    .iterate(inputs.asOf, inputs.asOf) as IterableIterator<{ customer_id: string; category: string; balance: number | null }>;
  for (const r of rows) {
    const tier = inputs.tierOf.get(r.customer_id) ?? 'unknown';
    if (r.balance !== null && r.balance > 0) {
      push(balances, `${r.category}|${tier}`, r.balance);
      push(balances, `${r.category}|*`, r.balance);
      contributions.push(r.balance * marginRate(r.category));
    } else {
      const aum = inputs.aumOf.get(r.customer_id);
      if (aum !== undefined && Number.isFinite(aum) && aum > 0) {
        push(holderAum, `${r.category}|${tier}`, aum);
        push(holderAum, `${r.category}|*`, aum);
      }
    }
  }
  const cache = new Map<string, number | null>();
  const pick = (map: Map<string, number[]>, category: string, tier: string): number | null => {
    const inTier = map.get(`${category}|${tier}`);
    if (inTier && inTier.length >= MIN_HOLDERS) return median(inTier);
    return median(map.get(`${category}|*`) ?? []);
  };
  const expectedBalance = (category: string, tier: string | null): number | null => {
    const key = `${category}|${tier ?? 'unknown'}`;
    if (!cache.has(key)) cache.set(key, pick(balances, category, tier ?? 'unknown') ?? pick(holderAum, category, tier ?? 'unknown'));
    return cache.get(key)!;
  };
  const reference = median(contributions.filter((c) => c > 0)) ?? 0;
  return { marginRate, expectedBalance, reference };
}

/**
 * Expected annual contribution in 元 of one product for one customer: `balance` is the model's expected
 * balance for the product's family and the customer's tier (looked up once per family and tier).
 */
export function expectedValue(model: ValueModel, product: { category: string; minAmount: number | null }, balance: number, investable: number | null): number {
  let expected = balance;
  if (INVESTED.has(product.category)) {
    if (investable !== null && Number.isFinite(investable)) expected = Math.min(expected, Math.max(0, investable));
    if (product.minAmount !== null && product.minAmount > expected) expected = product.minAmount;
  }
  return Math.max(0, expected * model.marginRate(product.category));
}
