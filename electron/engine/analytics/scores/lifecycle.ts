/**
 * Lifecycle stage (生命周期, DESIGN.md §4), settings.lifecycle. Each customer gets exactly one stage: the
 * first rule that holds, in this order of precedence:
 *
 *   流失 churned > 沉睡 dormant > 新客 new > 衰退 declining > 成长 growing > 成熟 mature
 *
 * Why this order: 流失 is terminal and says the most; a churned customer is also dormant and declining. A
 * dormant customer needs waking up whatever else is true of him. A new customer's balance ramps up and his
 * habits are still forming, so trend rules say little about him yet (every new account "grows"). Decline
 * comes before growth because it is the signal that needs action (and both can hold at once: AUM up over
 * six months but activity halved). 成熟 is what is left.
 *
 * The rules, exactly (asOf is the as-of date; windows half-open as in features/windows.ts):
 * - 流失: the customer had holdings opened by asOf and every one of them was closed by asOf (all accounts
 *   closed); or aum_latest < churnAumBelow while his highest monthly AUM up to asOf was > churnAumWasAbove.
 * - 沉睡: no customer-initiated transaction in (asOf − dormantDays, asOf], i.e. days_since_last_active_txn ≥
 *   dormantDays or none ever, and the account is at least dormantDays old (or its open date is unknown): a
 *   customer who has not yet existed for the window cannot have slept through it. Customer-initiated as
 *   everywhere (shared/dictionary.ts PASSIVE_TRANSACTION_TYPES): automatic repayments and 代扣 keep nobody
 *   awake. The 沉睡客户 tag is this stage (tags/system-tags.ts), so the two never disagree.
 * - 新客: opened within newMonths months: tenure_months (completed months) < newMonths.
 * - 衰退: aum_avg_3m ≤ peak × (1 − declineFromPeakPct/100), peak being the highest monthly AUM of the six
 *   months before the 3-month window (M−8..M−3) and at least declineMinPeakAum; or activity down:
 *   customer-initiated transactions in the last 90 days ≤ those of the 90 days before × (1 −
 *   activityDropPct/100), with at least declineMinPriorTxns of them in the 90 days before. Both need a base:
 *   one transaction becoming none, or 2,000 元 becoming 1,000, is not a customer in decline.
 * - 成长: aum_change_pct_6m ≥ growthPct (AUM up over the last 6 balance months).
 * - 成熟: none of the above.
 *
 * The AUM rules (流失 by AUM, 衰退 by AUM, 成长) need a balance row in the 3-month window of the as-of
 * month, the window the tier is cut on: a customer without one is 无记录 in the tiers (tiers.ts), and a
 * 12-month-old AUM must not make him 成长 or 流失 here either. A rule whose source has no data up to asOf
 * does not fire (no transactions at all → nobody is 沉睡 or down in activity; no balances → no AUM rule),
 * and a rule on a missing value does not fire either.
 */
import type { LifecycleStage } from '../../../../shared/analytics';
import type { Settings } from '../../../../shared/settings';
import type { FeatureTable, ScoreInputs } from '../features';

export const LIFECYCLE_PRECEDENCE: readonly LifecycleStage[] = ['churned', 'dormant', 'new', 'declining', 'growing', 'mature'];

export function computeLifecycle(table: FeatureTable, inputs: ScoreInputs, rules: Settings['lifecycle']): LifecycleStage[] {
  const n = table.customerIds.length;
  const c = table.columns;
  const { available } = inputs;
  const stages = new Array<LifecycleStage>(n);
  const declineFactor = 1 - rules.declineFromPeakPct / 100;
  const activityFactor = 1 - rules.activityDropPct / 100;
  for (let i = 0; i < n; i++) {
    const aumLatest = c.aum_latest[i] as number;
    const daysIdle = c.days_since_last_active_txn[i] as number;
    const daysOpen = inputs.daysSinceOpen[i] as number;
    const peak = inputs.aumPeakPrior6m[i] as number;
    const prior = inputs.activePrior90[i] as number;

    const aum3m = c.aum_avg_3m[i] as number;
    const recentBalance = available.balances && aum3m === aum3m;

    const churned =
      inputs.allHoldingsClosed[i] === 1 || (recentBalance && aumLatest < rules.churnAumBelow && (inputs.aumMaxEver[i] as number) > rules.churnAumWasAbove);
    const dormant = available.transactions && !(daysIdle < rules.dormantDays) && !(daysOpen < rules.dormantDays);
    const isNew = (c.tenure_months[i] as number) < rules.newMonths;
    const declining =
      (recentBalance && peak > 0 && peak >= rules.declineMinPeakAum && aum3m <= peak * declineFactor) ||
      (available.transactions && prior > 0 && prior >= rules.declineMinPriorTxns && (inputs.activeLast90[i] as number) <= prior * activityFactor);
    const growing = recentBalance && (c.aum_change_pct_6m[i] as number) >= rules.growthPct;

    stages[i] = churned ? 'churned' : dormant ? 'dormant' : isNew ? 'new' : declining ? 'declining' : growing ? 'growing' : 'mature';
  }
  return stages;
}
