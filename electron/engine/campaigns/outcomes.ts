/**
 * Each member's outcome in a campaign's window, measured the same way for the target and the control group
 * (otherwise the comparison would favour whoever was asked):
 *
 * - contacted / responded come from the imported responses (回执);
 * - converted is a response marked 已成交, or the goal observed in the workspace's data within the campaign
 *   period: the product (or any new product) opened for 开户 / 购买产品, a customer-initiated transaction for
 *   激活, AUM up by `assetGrowthPct` for 资产提升, AUM kept above (1 − aumLossPct) of its level for 挽留;
 * - the AUM change is the monthly average of the last month of the period the data covers, less the month
 *   before the start.
 *
 * Data observed after the period does not count; a period the data does not reach yet leaves the
 * responses as the only source, and the evaluation says so.
 */
import type { CampaignGoal } from '../../../shared/campaigns';
import { PASSIVE_TRANSACTION_TYPES } from '../../../shared/dictionary';
import { latestDataMonth } from '../analytics/as-of';
import { addMonthsToMonth, monthEnd } from '../analytics/dates';
import type { Db } from '../db/workspace';

export interface MemberOutcome {
  id: string;
  group: 'target' | 'control';
  arm: string | null;
  managerId: string | null;
  stratum: string | null;
  contacted: boolean;
  responded: boolean;
  converted: boolean;
  amount: number;
  aumBefore: number | null;
  aumAfter: number | null;
}

export interface OutcomeWindow {
  from: string;
  to: string;
  /** Last day of the workspace's data; the window's measured part ends at the earlier of the two. */
  dataThrough: string | null;
  beforeMonth: string;
  /** The last balance month inside the window, or null when the data does not reach the period. */
  afterMonth: string | null;
}

export interface GoalRule {
  goal: CampaignGoal | null;
  productId: string | null;
  assetGrowthPct: number;
  aumLossPct: number;
}

export function outcomeWindow(db: Db, from: string, to: string): OutcomeWindow {
  const latest = latestDataMonth(db);
  const dataThrough = latest.source === 'today' ? null : monthEnd(latest.month);
  const lastMonth = dataThrough && dataThrough < to ? dataThrough.slice(0, 7) : to.slice(0, 7);
  const covered = dataThrough !== null && dataThrough >= from;
  return { from, to, dataThrough, beforeMonth: addMonthsToMonth(from.slice(0, 7), -1), afterMonth: covered && lastMonth >= from.slice(0, 7) ? lastMonth : null };
}

/** The goal seen in the data, as an SQL condition on member `m` over the named parameters of memberOutcomes. */
function eventCondition(rule: GoalRule): string {
  switch (rule.goal) {
    case 'open_account':
    case 'buy_product':
      return rule.productId
        ? 'EXISTS (SELECT 1 FROM holdings h WHERE h.customer_id = m.customer_id AND h.product_id = @product AND h.opened_at BETWEEN @from AND @to)'
        : 'EXISTS (SELECT 1 FROM holdings h WHERE h.customer_id = m.customer_id AND h.opened_at BETWEEN @from AND @to)';
    case 'activate':
      return `EXISTS (SELECT 1 FROM transactions t WHERE t.customer_id = m.customer_id AND t.txn_date BETWEEN @from AND @to
        AND coalesce(t.type, '') NOT IN (SELECT value FROM json_each(@passive)))`;
    default:
      // 资产提升 and 挽留 are judged on the balances below; a past campaign without a goal has no event.
      return '0';
  }
}

interface Raw {
  id: string;
  grp: 'target' | 'control';
  arm: string | null;
  managerId: string | null;
  stratum: string | null;
  outcome: string | null;
  amount: number | null;
  event: number;
  aumBefore: number | null;
  aumAfter: number | null;
}

/** Every member of the campaign with its outcome; for a past campaign without members, its responders. */
export function memberOutcomes(db: Db, campaignId: string, rule: GoalRule, window: OutcomeWindow): MemberOutcome[] {
  const measuredTo = window.dataThrough && window.dataThrough < window.to ? window.dataThrough : window.to;
  const measurable = window.dataThrough !== null && window.dataThrough >= window.from;
  const params = {
    campaign: campaignId,
    product: rule.productId,
    from: window.from,
    to: measuredTo,
    passive: JSON.stringify(PASSIVE_TRANSACTION_TYPES),
    before: window.beforeMonth,
    after: window.afterMonth,
  };
  const balance = (month: '@before' | '@after') => `(SELECT b.aum FROM balances b WHERE b.customer_id = m.customer_id AND b.month = ${month})`;
  const members = db
    .prepare(
      `SELECT m.customer_id AS id, m.member_group AS grp, m.arm, m.manager_id AS managerId, m.stratum, r.outcome, r.amount,
         ${measurable ? eventCondition(rule) : '0'} AS event, ${balance('@before')} AS aumBefore, ${balance('@after')} AS aumAfter
       FROM campaign_members m
       LEFT JOIN campaign_responses r ON r.campaign_id = m.campaign_id AND r.customer_id = m.customer_id
       WHERE m.campaign_id = @campaign`,
    )
    .all(params) as Raw[];
  const rows =
    members.length > 0
      ? members
      : (db
          .prepare(
            `SELECT r.customer_id AS id, 'target' AS grp, NULL AS arm, c.manager_id AS managerId, NULL AS stratum, r.outcome, r.amount, 0 AS event, NULL AS aumBefore, NULL AS aumAfter
             FROM campaign_responses r LEFT JOIN customers c ON c.customer_id = r.customer_id WHERE r.campaign_id = ?`,
          )
          .all(campaignId) as Raw[]);
  return rows.map((r) => toOutcome(r, rule));
}

function toOutcome(r: Raw, rule: GoalRule): MemberOutcome {
  const responded = r.outcome === 'responded' || r.outcome === 'converted';
  let event = r.event === 1;
  if (r.aumBefore !== null && r.aumBefore > 0 && r.aumAfter !== null) {
    if (rule.goal === 'grow_assets') event = r.aumAfter >= r.aumBefore * (1 + rule.assetGrowthPct / 100);
    if (rule.goal === 'retain') event = r.aumAfter >= r.aumBefore * (1 - rule.aumLossPct / 100);
  }
  return {
    id: r.id,
    group: r.grp,
    arm: r.arm,
    managerId: r.managerId,
    stratum: r.stratum,
    contacted: r.outcome !== null,
    responded,
    converted: r.outcome === 'converted' || event,
    amount: r.outcome === 'converted' && r.amount !== null ? r.amount : 0,
    aumBefore: r.aumBefore,
    aumAfter: r.aumAfter,
  };
}
