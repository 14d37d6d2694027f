/**
 * The branch overview (经营概览, issue #11 §1) as of a month: the latest balance month by default. One pass
 * over the customers (monthly-pass.ts) gives the monthly series; surveys and campaign responses come from
 * their own small aggregates (activity.ts); the rest are lookups. The result is what the overview screen
 * shows and what the branch report prints.
 */
import { PRODUCT_CATEGORIES, PRODUCT_CATEGORY_LABELS } from '../../../../shared/dictionary';
import type { BranchOverview, CommunityRow, ManagerRow, TierKey, ValueBasis, ValueRow } from '../../../../shared/reports';
import { RFM_CLASS_LABELS, VALUE_TIER_LABELS } from '../../../../shared/rule-fields';
import type { Settings } from '../../../../shared/settings';
import { latestDataMonth } from '../../analytics/as-of';
import { latestScoredRun } from '../../analytics/churn/scored-run';
import { latestRuns } from '../../customers/latest-runs';
import type { Db } from '../../db/workspace';
import { EngineError } from '../../errors';
import { readSettings } from '../../settings-store';
import { activitySeries } from './activity';
import { openCampaignTasks } from './campaign-tasks';
import { monthlyKpis, pointKpi } from './kpis';
import { monthIndex, monthWindow, trendIndexes, type MonthWindow } from './months';
import { monthlyPass, TIER_KEYS, type PassResult, type ValueAccumulator } from './monthly-pass';
import { clvFactor } from './value';
import { checklist, dataRange, latestRunsInfo, workspaceStamp } from './workspace-state';

export const UNASSIGNED_MANAGER = '';

/** The name in report headers: the one set in 设置, else the workspace file's name. */
export function branchNameOf(settings: Settings, workspaceName: string | undefined): string {
  return settings.reports.branchName || workspaceName || '本支行';
}

export interface OverviewOptions {
  /** 'YYYY-MM'; the latest balance month by default. */
  asOfMonth?: string;
  /** For the report header when settings.reports.branchName is blank. */
  workspaceName?: string;
  onProgress?: (done: number, total: number) => void;
  throwIfCancelled?: () => void;
}

export function computeOverview(db: Db, options: OverviewOptions = {}): BranchOverview {
  const settings = readSettings(db);
  const stamp = workspaceStamp(db);
  const data = dataRange(db);
  const runs = latestRunsInfo(db);
  const asOfMonth = resolveMonth(options.asOfMonth, data, latestDataMonth(db).month);
  const window = monthWindow(asOfMonth);

  const scored = latestScoredRun(db);
  const scoreRunId = scored?.analysisRunId ?? latestRuns(db).scoreRunId;
  const segments = savedSegments(db);
  let done = 0;
  const total = data.customers;
  const pass = monthlyPass(db, {
    window,
    settings,
    scoreRunId,
    churnHorizonMonths: runs.churnModel?.horizonMonths ?? settings.churn.horizonMonths,
    segments,
    rfmLabels: RFM_CLASS_LABELS,
    balancesAvailable: data.firstMonth !== null,
    repeatWindowMonths: settings.reports.repeatWindowMonths,
    unassigned: UNASSIGNED_MANAGER,
    tick: () => {
      done++;
      if (done % 5000 === 0) {
        options.throwIfCancelled?.();
        options.onProgress?.(done, total);
      }
    },
  });
  const { totals } = pass;
  const dataFrom = data.firstMonth === null ? -1 : Math.max(0, data.firstMonth < (window.months[0] as string) ? 0 : monthIndex(window, data.firstMonth));
  const communities = communityRows(db, pass, window);
  const households = new Map(communities.filter((c) => c.households !== null && c.households > 0).map((c) => [c.communityId, c.households as number]));
  const kpis = monthlyKpis({
    window,
    totals,
    activity: activitySeries(db, window, settings.reports),
    dataFrom,
    households,
    windows: { survey: settings.reports.surveyWindowMonths, campaign: settings.reports.campaignWindowMonths, repeat: settings.reports.repeatWindowMonths },
  });
  const last = window.last;
  const churn = churnSummary(db, scored?.analysisRunId ?? null, scored?.asOf ?? null);
  const retention = kpis.find((k) => k.key === 'retention_rate')?.value ?? null;
  const value = valueRows(pass, settings, retention, segments !== null);
  const onBook = totals.onBook[last] as number;

  kpis.push(
    pointKpi('aum_month_end', 'aum_month_end', pass.monthEndAum, '在册客户持有的存款、理财等产品的当前余额（时点）'),
    pointKpi('high_risk_customers', 'high_risk_customers', churn?.high ?? null, churn ? `流失打分截至 ${churn.asOf ?? ''}` : '尚未进行流失打分'),
    pointKpi('aum_at_risk', 'aum_at_risk', churn?.aumAtRisk ?? null, '高风险客户的近3个月日均资产之和'),
    pointKpi('profit_contribution', 'profit_contribution', value.total.profit, '按产品当前余额 × 设置中的年化利润率'),
    pointKpi('profit_per_customer', 'profit_per_customer', value.total.customers > 0 ? value.total.profit / value.total.customers : null, '利润贡献 ÷ 在册客户'),
    pointKpi('clv_total', 'clv_total', value.total.clv, `${settings.value.clvHorizonYears} 年，折现率 ${(settings.value.discountRate * 100).toFixed(1)}%`),
    pointKpi('clv', 'clv', value.total.customers > 0 ? value.total.clv / value.total.customers : null, '户均'),
  );

  return {
    branchName: branchNameOf(settings, options.workspaceName),
    asOf: window.ends[last] as string,
    asOfMonth,
    computedAt: new Date().toISOString(),
    stamp,
    data,
    runs,
    checklist: checklist(data, runs),
    population: { total: totals.opened[last] as number, onBook, lost: (totals.opened[last] as number) - onBook },
    kpis,
    tierMix: trendIndexes(window).map((k) => ({ month: window.months[k] as string, counts: Object.fromEntries(TIER_KEYS.map((t) => [t, totals.tiers[t][k] as number])) as Record<TierKey, number> })),
    products: productRows(pass, onBook, totals.onBook[last - 1] as number),
    communities,
    coverage: { covered: communities.filter((c) => c.households !== null && c.customers > 0).length, total: communities.filter((c) => c.households !== null).length },
    value: value.rows,
    managers: managerRows(db, pass),
    churn,
  };
}

/** The as-of month: the latest balance month, else the month the customer analysis would take (as-of.ts). */
function resolveMonth(requested: string | undefined, data: BranchOverview['data'], latestData: string): string {
  if (data.customers === 0) throw new EngineError('bad_input', '工作区中还没有客户数据，请先导入客户信息');
  const latest = data.lastMonth ?? latestData;
  if (requested === undefined) return latest;
  if (requested > latest) throw new EngineError('bad_input', `报告月份 ${requested} 晚于月日均资产数据的最新月份 ${latest}，请选择 ${latest} 或更早的月份`);
  if (data.firstMonth !== null && requested < data.firstMonth) throw new EngineError('bad_input', `报告月份 ${requested} 早于月日均资产数据的最早月份 ${data.firstMonth}，请选择更晚的月份`);
  return requested;
}

/** Saved segments (客群) by customer; null when there are none (value is then shown by RFM class). */
function savedSegments(db: Db): Map<string, string[]> | null {
  const rows = db.prepare('SELECT m.customer_id AS id, s.name FROM segment_members m JOIN segments s ON s.segment_id = m.segment_id ORDER BY s.segment_id').raw().all() as [string, string][];
  if (rows.length === 0) return null;
  const byCustomer = new Map<string, string[]>();
  for (const [id, name] of rows) {
    const list = byCustomer.get(id);
    if (list) list.push(name);
    else byCustomer.set(id, [name]);
  }
  return byCustomer;
}

/** Churn counts and AUM at risk of the latest scoring, computed as churn scoring does (its features' aum_avg_3m). */
function churnSummary(db: Db, runId: number | null, asOf: string | null): BranchOverview['churn'] {
  if (runId === null) return null;
  const rows = db
    .prepare(
      `SELECT s.churn_band AS band, count(*) AS n, total(f.aum_avg_3m) AS aum
       FROM customer_scores s LEFT JOIN customer_features f ON f.run_id = s.run_id AND f.customer_id = s.customer_id
       WHERE s.run_id = ? AND s.churn_prob IS NOT NULL GROUP BY s.churn_band`,
    )
    .all(runId) as { band: string; n: number; aum: number }[];
  const band = (name: string) => rows.find((r) => r.band === name);
  return { asOf, high: band('high')?.n ?? 0, medium: band('medium')?.n ?? 0, low: band('low')?.n ?? 0, aumAtRisk: Math.round((band('high')?.aum ?? 0) * 100) / 100 };
}

function valueRows(pass: PassResult, settings: Settings, observed: number | null, bySavedSegments: boolean): { total: ValueRow; rows: BranchOverview['value'] } {
  const { value } = pass;
  const modelShare = value.total.customers > 0 ? value.total.retentionCount / value.total.customers : 0;
  const fallback = observed ?? (value.total.retentionCount > 0 ? value.total.retentionSum / value.total.retentionCount : 1);
  const factor = clvFactor(fallback, settings.value.discountRate, settings.value.clvHorizonYears);
  const row = (key: string, label: string, acc: ValueAccumulator): ValueRow => ({
    key,
    label,
    customers: acc.customers,
    profit: acc.profit,
    clv: acc.clvScored + acc.profitUnscored * factor,
    retention: acc.customers > 0 ? (acc.retentionSum + (acc.customers - acc.retentionCount) * fallback) / acc.customers : null,
  });
  const tierLabel = (tier: TierKey) => (tier === 'no_record' ? '无记录' : (VALUE_TIER_LABELS[tier] ?? tier));
  const total = row('total', '全部在册客户', value.total);
  const basis: ValueBasis = {
    discountRate: settings.value.discountRate,
    horizonYears: settings.value.clvHorizonYears,
    retentionSource: modelShare >= 1 ? 'model' : modelShare > 0 ? 'mixed' : 'observed',
    observedRetention: observed,
    segmentBasis: bySavedSegments ? 'segments' : 'rfm',
  };
  const segmentOrder = bySavedSegments ? [...value.bySegment.keys()] : Object.values(RFM_CLASS_LABELS).filter((label) => value.bySegment.has(label));
  return {
    total,
    rows: {
      byTier: TIER_KEYS.filter((t) => value.byTier.has(t)).map((t) => row(t, tierLabel(t), value.byTier.get(t) as ValueAccumulator)),
      bySegment: segmentOrder.map((key) => row(key, key, value.bySegment.get(key) as ValueAccumulator)),
      total,
      basis,
    },
  };
}

function productRows(pass: PassResult, onBook: number, onBookBefore: number): BranchOverview['products'] {
  const categories = [...PRODUCT_CATEGORIES, ...[...pass.families.keys()].filter((c) => !(PRODUCT_CATEGORIES as readonly string[]).includes(c))];
  return categories.flatMap((category) => {
    const counts = pass.families.get(category);
    if (!counts) return [];
    const penetration = onBook > 0 ? counts[0] / onBook : 0;
    const before = onBookBefore > 0 ? counts[1] / onBookBefore : null;
    const label = (PRODUCT_CATEGORY_LABELS as Record<string, string>)[category] ?? (category === 'unknown' ? '未登记产品' : category);
    return [{ category, label, holders: counts[0], penetration, mom: before === null ? null : penetration - before }];
  });
}

function communityRows(db: Db, pass: PassResult, window: MonthWindow): CommunityRow[] {
  const registered = db.prepare('SELECT community_id, name, households FROM communities ORDER BY community_id').all() as { community_id: string; name: string; households: number | null }[];
  const known = new Set(registered.map((c) => c.community_id));
  const rows: CommunityRow[] = registered.map((c) => {
    const customers = pass.totals.communities.get(c.community_id)?.[window.last] ?? 0;
    return {
      communityId: c.community_id,
      name: c.name,
      households: c.households,
      customers,
      penetration: c.households && c.households > 0 ? customers / c.households : null,
      aum: pass.communityAum.get(c.community_id) ?? 0,
    };
  });
  // Codes customers carry that the register lacks still count, as data quality reports them.
  for (const [id, counts] of pass.totals.communities) {
    if (!known.has(id) && (counts[window.last] ?? 0) > 0) rows.push({ communityId: id, name: `${id}（未登记）`, households: null, customers: counts[window.last] as number, penetration: null, aum: pass.communityAum.get(id) ?? 0 });
  }
  return rows.sort((a, b) => b.customers - a.customers || a.communityId.localeCompare(b.communityId));
}

function managerRows(db: Db, pass: PassResult): ManagerRow[] {
  const names = new Map((db.prepare('SELECT manager_id, name, team FROM managers').all() as { manager_id: string; name: string; team: string | null }[]).map((m) => [m.manager_id, m]));
  const tasks = openCampaignTasks(db);
  return [...pass.managers.entries()]
    .map(([id, acc]) => ({
      managerId: id,
      name: id === UNASSIGNED_MANAGER ? '未分配' : (names.get(id)?.name ?? `${id}（未登记）`),
      team: names.get(id)?.team ?? null,
      customers: acc.customers,
      aum: acc.aum,
      aumChange: acc.aum - acc.aumPrevious,
      highRisk: acc.highRisk,
      openTasks: tasks.get(id) ?? 0,
    }))
    .filter((m) => m.customers > 0 || m.aum > 0)
    .sort((a, b) => b.aum - a.aum || a.managerId.localeCompare(b.managerId));
}
