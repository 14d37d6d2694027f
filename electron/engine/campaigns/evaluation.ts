/**
 * campaigns.evaluate: target against control. Rates are over everyone in the group (intention to treat:
 * a target customer who was never reached still counts), the uplift of conversion carries Newcombe's 95%
 * interval and a plain verdict, and the money follows from the same comparison:
 *
 * - incremental conversions = (target rate − control rate) × target size;
 * - incremental amount = (成交金额 per target customer − per control customer) × target size;
 * - incremental AUM = (mean AUM change of target − of control) × target size, when balances cover the period;
 * - income = the product family's annual margin rate (settings.value) × incremental AUM, or × incremental
 *   amount when balances do not cover the period yet; cost = cost per contact × customers contacted (the
 *   list size before any response is in); ROI = (income − cost) ÷ cost.
 *
 * Breakdowns by manager, value tier and saved segment, an A/B comparison of the two arms, and the customers
 * who responded without being in either group complete it. The result is stored on the campaign.
 */
import type { ArmOutcome, BreakdownRow, CampaignEvaluation, GroupOutcome } from '../../../shared/campaigns';
import { PRODUCT_CATEGORIES, type ProductCategory } from '../../../shared/dictionary';
import { formatShare } from '../../../shared/glossary';
import { VALUE_TIER_LABELS } from '../../../shared/rule-fields';
import type { Settings } from '../../../shared/settings';
import type { JobContext } from '../context';
import type { Db } from '../db/workspace';
import { readSettings } from '../settings-store';
import { memberOutcomes, outcomeWindow, type MemberOutcome } from './outcomes';
import { POOL_NAME } from './plan';
import { registerHistoryCampaigns, requireCampaign, saveEvaluation, type CampaignRow } from './store';
import { compareRates } from './verdict';

export async function evaluateCampaignJob(ctx: JobContext, campaignId: string): Promise<CampaignEvaluation> {
  const db = ctx.db();
  ctx.progress('评估活动效果', 0, 1);
  registerHistoryCampaigns(db);
  const evaluation = evaluateCampaign(db, campaignId);
  saveEvaluation(db, campaignId, evaluation);
  ctx.progress('评估活动效果', 1, 1);
  return evaluation;
}

export function evaluateCampaign(db: Db, campaignId: string): CampaignEvaluation {
  const campaign = requireCampaign(db, campaignId);
  const settings = readSettings(db);
  const from = campaign.startsOn ?? '0000-01-01';
  const to = campaign.endsOn ?? from;
  const window = outcomeWindow(db, from, to);
  const rows = memberOutcomes(db, campaignId, { goal: campaign.goal, productId: campaign.productId, assetGrowthPct: settings.campaigns.assetGrowthPct, aumLossPct: settings.churn.aumLossPct }, window);
  const targetRows = rows.filter((r) => r.group === 'target');
  const controlRows = rows.filter((r) => r.group === 'control');
  const target = outcomeOf(targetRows);
  const control = controlRows.length > 0 ? outcomeOf(controlRows) : null;
  const notes: string[] = [];
  if (campaign.status === 'history') notes.push('这是由导入回执识别出的历史活动，没有名单和对照组，只统计回执');
  if (target.contacted === 0 && campaign.status !== 'history') notes.push('尚未导入回执：接触率和响应率为 0，转化只按数据中观察到的目标行为统计');
  if (window.afterMonth === null) notes.push(`工作区数据截至 ${window.dataThrough ?? '（无）'}，尚未覆盖活动期间，转化只按回执统计，资产变化暂无法计算`);
  else if (window.dataThrough !== null && window.dataThrough < to) notes.push(`工作区数据截至 ${window.dataThrough}，活动期间其后的部分尚未计入`);

  const conversion = control && control.n > 0 && target.n > 0 ? compareRates(target.converted, target.n, control.converted, control.n, '转化率', '对照组') : null;
  const response = control && control.n > 0 && target.n > 0 && target.contacted > 0 ? compareRates(target.responded, target.n, control.responded, control.n, '响应率', '对照组') : null;
  const money = economics(campaign, target, control, settings, db);
  return {
    campaignId,
    evaluatedAt: new Date().toISOString(),
    window: { from, to, dataThrough: window.dataThrough },
    target,
    control,
    uplift: conversion?.uplift ?? null,
    ci95: conversion?.ci95 ?? null,
    significant: conversion?.significant ?? false,
    verdict: conversion?.verdict ?? `没有对照组，无法衡量提升；目标组转化率 ${formatShare(target.conversionRate)}`,
    responseUplift: response,
    ...money,
    byManager: breakdown(rows, (r) => r.managerId ?? '', managerLabels(db)),
    byTier: breakdown(rows, (r) => r.stratum?.split('|')[1] ?? '', (key) => VALUE_TIER_LABELS[key as keyof typeof VALUE_TIER_LABELS] ?? '未分层'),
    bySegment: segmentBreakdown(db, rows),
    arms: armComparison(targetRows, campaign),
    outsiders: countOutsiders(db, campaignId, rows.length > 0 && campaign.status !== 'history'),
    notes,
  };
}

export function outcomeOf(rows: readonly MemberOutcome[]): GroupOutcome {
  const n = rows.length;
  let contacted = 0;
  let responded = 0;
  let converted = 0;
  let amount = 0;
  let change = 0;
  let measured = 0;
  for (const r of rows) {
    if (r.contacted) contacted++;
    if (r.responded) responded++;
    if (r.converted) converted++;
    amount += r.amount;
    if (r.aumBefore !== null && r.aumAfter !== null) {
      change += r.aumAfter - r.aumBefore;
      measured++;
    }
  }
  const rate = (x: number) => (n > 0 ? x / n : null);
  return { n, contacted, responded, converted, amount, contactRate: rate(contacted), responseRate: rate(responded), conversionRate: rate(converted), aumChange: measured > 0 ? change / measured : null };
}

function economics(campaign: CampaignRow, target: GroupOutcome, control: GroupOutcome | null, settings: Settings, db: Db) {
  const contacts = target.contacted > 0 ? target.contacted : target.n;
  const cost = (campaign.costPerContact ?? 0) * contacts;
  if (!control || control.n === 0 || target.n === 0) {
    return { incrementalConversions: null, incrementalAmount: null, incrementalAum: null, income: null, cost, roi: null };
  }
  const incrementalConversions = ((target.converted / target.n) - (control.converted / control.n)) * target.n;
  const incrementalAmount = (target.amount / target.n - control.amount / control.n) * target.n;
  const incrementalAum = target.aumChange !== null && control.aumChange !== null ? (target.aumChange - control.aumChange) * target.n : null;
  const income = marginRate(db, campaign.productId, settings) * (incrementalAum ?? incrementalAmount);
  return { incrementalConversions, incrementalAmount, incrementalAum, income, cost, roi: cost > 0 ? (income - cost) / cost : null };
}

/** The annual margin per 元 of the campaign's product family, or the margin on AUM. */
function marginRate(db: Db, productId: string | null, settings: Settings): number {
  if (!productId) return settings.value.aumMarginRate;
  const row = db.prepare('SELECT category FROM products WHERE product_id = ?').get(productId) as { category: string } | undefined;
  const category = row && (PRODUCT_CATEGORIES as readonly string[]).includes(row.category) ? (row.category as ProductCategory) : null;
  return category ? (settings.value.marginRates[category] ?? settings.value.aumMarginRate) : settings.value.aumMarginRate;
}

function breakdown(rows: readonly MemberOutcome[], keyOf: (r: MemberOutcome) => string, labelOf: (key: string) => string): BreakdownRow[] {
  const groups = new Map<string, MemberOutcome[]>();
  for (const r of rows) {
    const key = keyOf(r);
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.entries()]
    .map(([key, list]) => breakdownRow(key, labelOf(key), list))
    .sort((a, b) => b.targetN - a.targetN || (a.key < b.key ? -1 : 1));
}

function breakdownRow(key: string, label: string, list: readonly MemberOutcome[]): BreakdownRow {
  const t = list.filter((r) => r.group === 'target');
  const c = list.filter((r) => r.group === 'control');
  const targetRate = t.length > 0 ? t.filter((r) => r.converted).length / t.length : null;
  const controlRate = c.length > 0 ? c.filter((r) => r.converted).length / c.length : null;
  return { key, label, targetN: t.length, targetRate, controlN: c.length, controlRate, uplift: targetRate !== null && controlRate !== null ? targetRate - controlRate : null };
}

function managerLabels(db: Db): (key: string) => string {
  const names = new Map((db.prepare('SELECT manager_id, name FROM managers').all() as { manager_id: string; name: string }[]).map((m) => [m.manager_id, m.name]));
  return (key) => (key === '' ? POOL_NAME : (names.get(key) ?? key));
}

/** Saved segments the members belong to (the 30 latest), each a row; a customer may be in several. */
function segmentBreakdown(db: Db, rows: readonly MemberOutcome[]): BreakdownRow[] {
  if (rows.length === 0) return [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const segments = db.prepare('SELECT segment_id, name FROM segments ORDER BY segment_id DESC LIMIT 30').all() as { segment_id: number; name: string }[];
  const members = db.prepare('SELECT customer_id FROM segment_members WHERE segment_id = ?').pluck();
  const out: BreakdownRow[] = [];
  for (const s of segments) {
    const list = (members.all(s.segment_id) as string[]).flatMap((id) => byId.get(id) ?? []);
    if (list.length > 0) out.push(breakdownRow(String(s.segment_id), s.name, list));
  }
  return out.sort((a, b) => b.targetN - a.targetN);
}

function armComparison(targets: readonly MemberOutcome[], campaign: CampaignRow): CampaignEvaluation['arms'] {
  const labels = campaign.params?.arms;
  if (!labels) return null;
  const arm = (key: 'A' | 'B', index: number): ArmOutcome => ({ ...outcomeOf(targets.filter((r) => r.arm === key)), arm: key, label: labels[index]?.label ?? key });
  const a = arm('A', 0);
  const b = arm('B', 1);
  if (a.n === 0 || b.n === 0) return null;
  return { a, b, comparison: compareRates(a.converted, a.n, b.converted, b.n, `方案“${a.label}”的转化率`, `方案“${b.label}”`) };
}

/** Responses to the campaign from customers in neither group (none for a past campaign without a list). */
export function countOutsiders(db: Db, campaignId: string, hasMembers: boolean): number {
  if (!hasMembers) return 0;
  return (
    db
      .prepare('SELECT count(*) AS n FROM campaign_responses r WHERE r.campaign_id = ? AND NOT EXISTS (SELECT 1 FROM campaign_members m WHERE m.campaign_id = r.campaign_id AND m.customer_id = r.customer_id)')
      .get(campaignId) as { n: number }
  ).n;
}
