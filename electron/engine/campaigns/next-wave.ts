/**
 * campaigns.nextWave (对未响应客户发起第二轮): a new campaign whose audience is the first wave's target
 * customers who did not respond (no response, or only 已触达), with the first wave's goal, product, channel,
 * script and thresholds. It keeps the first wave's control group instead of drawing a new one, so wave 2 is
 * measured against the same never-contacted customers. The exclusions run again (a customer may have asked
 * not to be called since), except that the first wave's own contacts do not count as fatigue.
 */
import type { CampaignPlan } from '../../../shared/campaigns';
import type { ParsedRequestOf } from '../../../shared/api';
import { addDays } from '../analytics/dates';
import type { JobContext } from '../context';
import { localToday } from '../customers/today';
import { EngineError } from '../errors';
import { planCampaign } from './plan';
import { requireCampaign } from './store';

export async function nextWave(ctx: JobContext, request: ParsedRequestOf<'campaigns.nextWave'>): Promise<CampaignPlan> {
  const db = ctx.db();
  const parent = requireCampaign(db, request.campaignId);
  if (parent.status === 'history' || !parent.params || !parent.goal || !parent.channel) {
    throw new EngineError('bad_input', `“${parent.name}”是由回执识别出的历史活动，没有名单，无法发起第二轮`);
  }
  const nonResponders = db
    .prepare(
      `SELECT m.customer_id FROM campaign_members m
       WHERE m.campaign_id = ? AND m.member_group = 'target'
         AND NOT EXISTS (SELECT 1 FROM campaign_responses r WHERE r.campaign_id = m.campaign_id AND r.customer_id = m.customer_id AND r.outcome IN ('responded', 'converted'))
       ORDER BY m.customer_id`,
    )
    .pluck()
    .all(parent.campaignId) as string[];
  if (nonResponders.length === 0) throw new EngineError('bad_input', `“${parent.name}”的名单客户都已响应，没有需要第二轮联系的客户`);
  const control = db
    .prepare("SELECT customer_id AS id, manager_id AS managerId, coalesce(stratum, '') AS stratum FROM campaign_members WHERE campaign_id = ? AND member_group = 'control' ORDER BY customer_id")
    .all(parent.campaignId) as { id: string; managerId: string | null; stratum: string }[];
  const today = localToday();
  const afterParent = parent.endsOn ? addDays(parent.endsOn, 1) : today;
  const startsOn = request.startsOn ?? (afterParent > today ? afterParent : today);
  const { params } = parent;
  return planCampaign(
    ctx,
    {
      name: request.name ?? `${parent.name}（第${parent.wave + 1}轮）`,
      goal: parent.goal,
      channel: parent.channel,
      ...(parent.productId ? { productId: parent.productId } : {}),
      startsOn,
      ...(request.endsOn ? { endsOn: request.endsOn } : {}),
      ...(parent.budget !== null ? { budget: parent.budget } : {}),
      ...(parent.costPerContact !== null ? { costPerContact: parent.costPerContact } : {}),
      ...(parent.owner ? { owner: parent.owner } : {}),
      ...(parent.script ? { script: parent.script } : {}),
      source: { kind: 'customers', customerIds: nonResponders },
      sourceLabel: `“${parent.name}”未响应的 ${nonResponders.length} 位客户`,
      ranking: params.ranking,
      fatigueDays: params.fatigueDays,
      maxCampaignsPer30Days: params.maxCampaignsPer30Days,
      perManagerCap: params.perManagerCap,
      ...(params.arms ? { arms: params.arms.map((a) => ({ label: a.label, ...(a.script ? { script: a.script } : {}) })) } : {}),
      seed: params.seed,
    },
    { write: true, parent: { campaignId: parent.campaignId, wave: parent.wave, control } },
  );
}
