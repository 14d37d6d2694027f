/**
 * What a customer is worth to the branch (DESIGN.md §4, seed 001), from settings.value:
 *
 * - profit contribution (利润贡献, per year) = Σ over the products held on the as-of date of balance × the
 *   family's margin rate, plus the AUM no asset holding explains (balances.aum of the as-of month less the
 *   asset holdings' balances, when positive) × the margin on unattributed AUM;
 * - CLV (客户终身价值) = Σ_{t=1..H} profit × S_t / (1 + r)^t over H = clvHorizonYears, where S_t = s^t is
 *   the probability of still being a customer after t years and s the annual retention. s comes from the
 *   churn model: a probability p of churning within h months gives s = (1 − p)^(12 / h). A customer the
 *   model did not score takes the branch's observed 12-month retention instead.
 *
 * Balances are the holdings' current balances (the register holds no history of them), so the value is
 * a figure of the data date, without a monthly trend.
 */
import type { Settings } from '../../../../shared/settings';
import type { ProductCategory } from '../../../../shared/dictionary';

/** Families whose balances are the customer's assets (part of AUM); loans and cards are not. */
export const ASSET_CATEGORIES: ReadonlySet<string> = new Set<ProductCategory>(['demand_deposit', 'time_deposit', 'wealth', 'fund', 'insurance', 'precious_metal', 'pension']);

export interface HeldBalance {
  category: string | null;
  balance: number | null;
}

export function annualProfit(held: readonly HeldBalance[], aumLatest: number, value: Settings['value']): number {
  let profit = 0;
  let assets = 0;
  for (const h of held) {
    if (h.balance === null || !Number.isFinite(h.balance) || h.category === null) continue;
    const rate = (value.marginRates as Partial<Record<string, number>>)[h.category] ?? 0;
    profit += h.balance * rate;
    if (ASSET_CATEGORIES.has(h.category)) assets += h.balance;
  }
  if (Number.isFinite(aumLatest) && aumLatest > assets) profit += (aumLatest - assets) * value.aumMarginRate;
  return profit;
}

/** Annual retention from a churn probability over `horizonMonths`. */
export function annualRetention(churnProbability: number, horizonMonths: number): number {
  const p = Math.min(1, Math.max(0, churnProbability));
  return (1 - p) ** (12 / horizonMonths);
}

/** Σ_{t=1..years} retention^t / (1 + rate)^t: what one year's profit is worth over the horizon. */
export function clvFactor(retention: number, discountRate: number, years: number): number {
  let factor = 0;
  let survival = 1;
  let discount = 1;
  for (let t = 1; t <= years; t++) {
    survival *= retention;
    discount *= 1 + discountRate;
    factor += survival / discount;
  }
  return factor;
}
