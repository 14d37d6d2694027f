/**
 * campaigns.preview and campaigns.create: from a draft to the call lists. Audience → exclusions (counted as
 * a waterfall) → the universal control group and the campaign's holdout → per-manager lists under a cap.
 * A preview runs every step and writes nothing but a universal-control draw that did not exist yet (the
 * draw is persistent, so previewing and creating see the same one); create stores the campaign and its
 * members in one transaction and writes an audit row.
 *
 * The same seed gives the same holdout and arms, so a list created after a preview is the list previewed.
 */
import type { CampaignGoal, CampaignPlan, CampaignRanking, ManagerAllocation } from '../../../shared/campaigns';
import { campaignDraftSchema, DEFAULT_SCRIPTS } from '../../../shared/campaigns';
import { hashString } from '../../../shared/random';
import type { z } from 'zod';
import { latestDataMonth } from '../analytics/as-of';
import { decodeExplanation, reasonsOf } from '../analytics/churn/explanation';
import { addDays, monthEnd } from '../analytics/dates';
import { appendAudit } from '../audit';
import type { JobContext } from '../context';
import { localToday } from '../customers/today';
import type { Db } from '../db/workspace';
import { EngineError } from '../errors';
import { ELDERLY_HIGH_RISK_FLAG, judgeEligibility, loadEligibilityCustomers, loadProducts, type EligibilityProduct, type EligibilityVerdict } from '../matching/eligibility';
import { readSettings } from '../settings-store';
import { allocate, type Ranked } from './allocation';
import { clip, recommendationsFor, resolveAudience, stageAudience, type Recommendation } from './audience';
import { applyExclusions, type ExclusionChecks } from './exclusions';
import { campaignFatigued, heldOutElsewhere, loadFacts, recentlyContacted, type CustomerFacts } from './facts';
import { drawHoldout, stratumOf } from './holdout';
import { insertCampaign, nextCampaignId, type CampaignParams, type NewMember } from './store';
import { ensureUniversalControl, universalControlMembers } from './universal-control';

export type ParsedDraft = z.output<typeof campaignDraftSchema>;

/** A second wave: its first wave, whose holdout it keeps instead of drawing one. */
export interface ParentWave {
  campaignId: string;
  wave: number;
  control: { id: string; managerId: string | null; stratum: string }[];
}

export async function planCampaign(ctx: JobContext, draft: ParsedDraft, options: { write: boolean; parent?: ParentWave }): Promise<CampaignPlan> {
  const started = performance.now();
  const db = ctx.db();
  const settings = readSettings(db);
  const defaults = settings.campaigns;
  const today = localToday();
  const startsOn = draft.startsOn ?? today;
  const endsOn = draft.endsOn ?? addDays(startsOn, defaults.defaultDays - 1);
  if (endsOn < startsOn) throw new EngineError('bad_input', `结束日期 ${endsOn} 早于开始日期 ${startsOn}，请修改活动期间`);
  const product = draft.productId ? requireProduct(db, draft.productId) : null;
  const parent = options.parent ?? null;
  const notes: string[] = [];

  ctx.progress('确定受众', 0, 4);
  const audience = resolveAudience(db, draft.source);
  stageAudience(db, audience.ids);
  const { facts, source } = loadFacts(db);
  ctx.throwIfCancelled();

  ctx.progress('排除不宜营销的客户', 1, 4);
  const fatigueDays = draft.fatigueDays ?? defaults.fatigueDays;
  const maxCampaigns = draft.maxCampaignsPer30Days ?? defaults.maxCampaignsPer30Days;
  const universal = ensureUniversalControl(db, startsOn, settings);
  const universalSet = universalControlMembers(db, universal.periodId);
  const window = { startsOn, fatigueDays, ignoreCampaignId: parent?.campaignId ?? null };
  const recent = recentlyContacted(db, window);
  const fatigued = campaignFatigued(db, { ...window, max: maxCampaigns });
  const elsewhere = heldOutElsewhere(db, startsOn, endsOn, parent?.campaignId ?? null);
  const verdicts = product ? judgeAll(db, product, audience.ids, startsOn, settings.suitability) : null;

  const checks: ExclusionChecks<CustomerFacts> = {
    do_not_contact: (c) => c.doNotContact === 1,
    no_consent: (c) => c.consent === 0 || (c.consent === null && defaults.unknownConsent === 'exclude'),
    ...(fatigueDays > 0 ? { recent_contact: (c: CustomerFacts) => recent.has(c.id) } : {}),
    campaign_fatigue: (c) => fatigued.has(c.id),
    ...(verdicts
      ? {
          holds_product: (c: CustomerFacts) => verdicts.get(c.id)?.code === 'held',
          unsuitable: (c: CustomerFacts) => verdicts.get(c.id)?.eligible === false,
        }
      : {}),
    ...(draft.goal !== 'retain' && source.analysed ? { churned: (c: CustomerFacts) => c.lifecycle === 'churned' } : {}),
    universal_control: (c) => universalSet.has(c.id),
    other_control: (c) => elsewhere.has(c.id),
  };
  if (draft.goal !== 'retain' && !source.analysed) notes.push('尚未运行客户分析，无法识别并排除已流失客户');
  const { kept, steps } = applyExclusions(facts, checks, { days: fatigueDays, max: maxCampaigns }, audience.unknown);
  ctx.throwIfCancelled();

  ctx.progress('抽取对照组并分配客户经理', 2, 4);
  const recommendations = product ? (audience.recommendations ?? recommendationsFor(db, product.productId)) : null;
  const ranking = draft.ranking ?? defaultRanking(draft.goal, draft.source.kind, source.scored, recommendations !== null && recommendations.size > 0);
  if (ranking === 'churn_value' && !source.scored) notes.push('还没有流失打分结果，按“流失概率 × 资产”排序时所有客户得分为 0，名单按客户号排列');
  if (ranking === 'match_score' && (!recommendations || recommendations.size === 0)) notes.push('没有该产品的匹配得分，按“产品匹配得分”排序时所有客户得分相同');
  const score = scorer(ranking, recommendations);
  const seed = draft.seed ?? hashString(`campaign:${draft.name}:${startsOn}`);
  const controlShare = parent ? 0 : (draft.controlShare ?? defaults.controlShare);
  const control = drawHoldout(kept.map((c) => ({ id: c.id, stratum: stratumOf(c.managerId, c.tier) })), controlShare, seed);
  const cap = draft.perManagerCap ?? defaults.perManagerCap;
  const ranked: Ranked[] = kept.map((c) => ({ id: c.id, managerId: c.managerId, score: score(c) }));
  const allocation = allocate(ranked, control, cap, { arms: draft.arms !== undefined, seed });

  const byId = new Map(facts.map((c) => [c.id, c]));
  const members: NewMember[] = allocation.members.map((m) => {
    const c = byId.get(m.id)!;
    return { ...m, stratum: stratumOf(c.managerId, c.tier), reason: null };
  });
  const counts = new Map(allocation.managers.map((m) => [m.managerId, { ...m }]));
  for (const p of parent?.control ?? []) {
    members.push({ id: p.id, managerId: p.managerId, group: 'control', rank: 0, score: 0, arm: null, stratum: p.stratum, reason: null });
    const row = counts.get(p.managerId) ?? { managerId: p.managerId, eligible: 0, target: 0, control: 0, overCap: 0 };
    row.control++;
    counts.set(p.managerId, row);
  }
  const managers = managerRows(db, [...counts.values()]);
  const waterfall = {
    audience: audience.ids.length + audience.unknown,
    steps,
    eligible: kept.length,
    control: members.filter((m) => m.group === 'control').length,
    overCap: allocation.managers.reduce((s, m) => s + m.overCap, 0),
    target: members.filter((m) => m.group === 'target').length,
  };
  const params: CampaignParams = {
    ranking,
    controlShare,
    fatigueDays,
    maxCampaignsPer30Days: maxCampaigns,
    perManagerCap: cap,
    unknownConsent: defaults.unknownConsent,
    arms: draft.arms ?? null,
    seed,
  };

  let campaignId: string | null = null;
  if (options.write) {
    ctx.progress('保存名单', 3, 4);
    for (const m of members) m.reason = reasonFor(byId.get(m.id), product, recommendations, verdicts, draft.goal === 'retain' || draft.source.kind === 'churn', settings.suitability.elderlyAge);
    campaignId = db.transaction(() => {
      const id = nextCampaignId(db, today);
      insertCampaign(
        db,
        {
          campaignId: id,
          name: draft.name,
          goal: draft.goal,
          channel: draft.channel,
          productId: product?.productId ?? null,
          startsOn,
          endsOn,
          budget: draft.budget ?? null,
          costPerContact: draft.costPerContact ?? null,
          owner: draft.owner ?? null,
          notes: draft.notes ?? null,
          script: draft.script ?? DEFAULT_SCRIPTS[draft.goal],
          source: draft.source,
          sourceLabel: draft.sourceLabel ?? audience.label,
          parentId: parent?.campaignId ?? null,
          wave: parent ? parent.wave + 1 : 1,
          universalPeriodId: universal.periodId,
          params,
          plan: { waterfall, managers },
        },
        members,
      );
      appendAudit(db, { action: 'campaign.create', params: { campaignId: id, name: draft.name, source: audience.label, ...params, waterfall }, rowCount: waterfall.target });
      return id;
    }).immediate();
  }
  ctx.progress('完成', 4, 4);

  return {
    campaignId,
    name: draft.name,
    goal: draft.goal,
    productId: product?.productId ?? null,
    startsOn,
    endsOn,
    ranking,
    controlShare,
    fatigueDays,
    maxCampaignsPer30Days: maxCampaigns,
    perManagerCap: cap,
    arms: draft.arms?.map((a) => a.label) ?? null,
    seed,
    waterfall,
    managers,
    universalControl: universal,
    notes,
    seconds: (performance.now() - started) / 1000,
  };
}

function requireProduct(db: Db, productId: string): EligibilityProduct {
  const product = loadProducts(db).find((p) => p.productId === productId);
  if (!product) throw new EngineError('not_found', `找不到产品“${clip(productId)}”，请确认产品代码`);
  if (!product.active) throw new EngineError('bad_input', `产品“${product.name}”已停售，不能作为营销活动的产品`);
  return product;
}

/** Suitability and holdings of the product for each customer: facts as of the data's last month, rules on the start day. */
function judgeAll(db: Db, product: EligibilityProduct, ids: readonly string[], startsOn: string, suitability: { riskAssessmentValidMonths: number; elderlyAge: number }): Map<string, EligibilityVerdict> {
  const dataAsOf = monthEnd(latestDataMonth(db).month);
  const customers = loadEligibilityCustomers(db, dataAsOf < startsOn ? dataAsOf : startsOn, ids);
  const rules = { asOf: startsOn, ...suitability };
  const verdicts = new Map<string, EligibilityVerdict>();
  for (const [id, customer] of customers) verdicts.set(id, judgeEligibility(customer, product, rules));
  return verdicts;
}

function defaultRanking(goal: CampaignGoal, kind: string, scored: boolean, matched: boolean): CampaignRanking {
  if ((kind === 'churn' || goal === 'retain') && scored) return 'churn_value';
  if (matched) return 'match_score';
  return 'aum';
}

function scorer(ranking: CampaignRanking, recommendations: Map<string, Recommendation> | null): (c: CustomerFacts) => number {
  switch (ranking) {
    case 'churn_value':
      return (c) => (c.churnProb ?? 0) * (c.aum ?? 0);
    case 'match_score':
      return (c) => recommendations?.get(c.id)?.score ?? 0;
    case 'aum':
      return (c) => c.aum ?? 0;
  }
}

/** 推荐产品/流失原因: what the manager reads before the call. */
function reasonFor(
  c: CustomerFacts | undefined,
  product: EligibilityProduct | null,
  recommendations: Map<string, Recommendation> | null,
  verdicts: Map<string, EligibilityVerdict> | null,
  churnReasons: boolean,
  elderlyAge: number,
): string | null {
  if (!c) return null;
  const parts: string[] = [];
  if (product) {
    const reasons = recommendations?.get(c.id)?.reasons ?? [];
    parts.push(reasons.length > 0 ? `推荐${product.name}：${reasons.join('；')}` : `推荐${product.name}`);
    if (verdicts?.get(c.id)?.flags.includes(ELDERLY_HIGH_RISK_FLAG(elderlyAge))) parts.push(ELDERLY_HIGH_RISK_FLAG(elderlyAge));
  }
  if (churnReasons && c.churnProb !== null) {
    const drivers = reasonsOf(decodeExplanation(c.churnDriversJson)).map((r) => r.text);
    parts.push(`流失风险 ${Math.round(c.churnProb * 100)}%${drivers.length > 0 ? `：${drivers.join('；')}` : ''}`);
  }
  return parts.length > 0 ? parts.join('｜') : null;
}

/** Allocation rows with the managers' names, in the allocation's order (the pool last). */
export function managerRows(db: Db, counts: readonly { managerId: string | null; eligible: number; target: number; control: number; overCap: number }[]): ManagerAllocation[] {
  const names = new Map((db.prepare('SELECT manager_id, name FROM managers').all() as { manager_id: string; name: string }[]).map((m) => [m.manager_id, m.name]));
  return [...counts]
    .sort((a, b) => (a.managerId === null ? 1 : b.managerId === null ? -1 : a.managerId < b.managerId ? -1 : 1))
    .map((m) => ({ ...m, managerName: m.managerId === null ? POOL_NAME : (names.get(m.managerId) ?? m.managerId) }));
}

export const POOL_NAME = '未分配客户经理';
