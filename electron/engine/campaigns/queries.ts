/**
 * The campaign screens' reads (query worker): the list with status and results, one campaign in detail,
 * and a page of its members. Counts come off the (campaign_id, …) keys, one campaign at a time; results
 * are the evaluation stored by the last evaluate or response import. Names and mobile numbers are masked
 * unless the workspace turned masking off.
 */
import type { CampaignDetail, CampaignMemberRow, CampaignSummary, MemberGroup, UniversalControlInfo } from '../../../shared/campaigns';
import type { ParsedRequestOf } from '../../../shared/api';
import { maskValue } from '../../../shared/masking';
import { localToday } from '../customers/today';
import type { Db } from '../db/workspace';
import { readSettings } from '../settings-store';
import { POOL_NAME } from './plan';
import { campaignStatus, historyRow, listCampaignRows, requireCampaign, unregisteredCampaignIds, type CampaignRow } from './store';
import { controlInfo, latestPeriod } from './universal-control';

export function listCampaigns(db: Db): { campaigns: CampaignSummary[]; universalControl: UniversalControlInfo | null } {
  const today = localToday();
  const rows = [...listCampaignRows(db), ...unregisteredCampaignIds(db).flatMap((id) => historyRow(db, id) ?? [])];
  const period = latestPeriod(db);
  return { campaigns: rows.map((r) => summaryOf(db, r, today)), universalControl: period ? controlInfo(db, period) : null };
}

export function campaignDetail(db: Db, campaignId: string): CampaignDetail {
  const row = requireCampaign(db, campaignId);
  const summary = summaryOf(db, row, localToday());
  return {
    ...summary,
    sourceLabel: row.sourceLabel,
    script: row.script ?? '',
    notes: row.notes,
    budget: row.budget,
    costPerContact: row.costPerContact,
    ranking: row.params?.ranking ?? null,
    controlShare: row.params?.controlShare ?? null,
    perManagerCap: row.params?.perManagerCap ?? null,
    fatigueDays: row.params?.fatigueDays ?? null,
    maxCampaignsPer30Days: row.params?.maxCampaignsPer30Days ?? null,
    arms: row.params?.arms?.map((a) => a.label) ?? null,
    waterfall: row.plan?.waterfall ?? null,
    managers: row.plan?.managers ?? [],
    evaluation: row.evaluation,
  };
}

function summaryOf(db: Db, row: CampaignRow, today: string): CampaignSummary {
  const groups = db.prepare('SELECT member_group AS g, count(*) AS n FROM campaign_members WHERE campaign_id = ? GROUP BY member_group').all(row.campaignId) as { g: MemberGroup; n: number }[];
  const responses = db
    .prepare("SELECT count(*) AS n, coalesce(sum(outcome = 'converted'), 0) AS converted FROM campaign_responses WHERE campaign_id = ?")
    .get(row.campaignId) as { n: number; converted: number };
  const product = row.productId ? (db.prepare('SELECT name FROM products WHERE product_id = ?').get(row.productId) as { name: string } | undefined) : undefined;
  const evaluation = row.evaluation;
  return {
    campaignId: row.campaignId,
    name: row.name,
    goal: row.goal,
    channel: row.channel,
    productId: row.productId,
    productName: product?.name ?? null,
    status: campaignStatus(row, today),
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    createdAt: row.createdAt,
    owner: row.owner,
    wave: row.wave,
    parentId: row.parentId,
    target: groups.find((g) => g.g === 'target')?.n ?? 0,
    control: groups.find((g) => g.g === 'control')?.n ?? 0,
    responses: responses.n,
    converted: responses.converted,
    uplift: evaluation?.uplift ?? null,
    ci95: evaluation?.ci95 ?? null,
    significant: evaluation ? evaluation.significant : null,
    exportedAt: row.exportedAt,
  };
}

export function campaignMembers(db: Db, request: ParsedRequestOf<'campaigns.members'>): { rows: CampaignMemberRow[]; total: number } {
  requireCampaign(db, request.campaignId);
  const where: string[] = ['m.campaign_id = @campaign'];
  if (request.group) where.push('m.member_group = @group');
  if (request.managerId !== undefined) where.push(request.managerId === '' ? 'm.manager_id IS NULL' : 'm.manager_id = @manager');
  const params = { campaign: request.campaignId, group: request.group ?? null, manager: request.managerId ?? null, limit: request.limit, offset: request.offset };
  const clause = where.join(' AND ');
  const total = (db.prepare(`SELECT count(*) AS n FROM campaign_members m WHERE ${clause}`).get(params) as { n: number }).n;
  const raw = db
    .prepare(
      `SELECT m.customer_id, c.name, c.mobile, g.name AS manager_name, m.manager_id, m.stratum, cs.aum_avg_3m, m.member_group, m.arm, m.rank, m.reason
       FROM campaign_members m
       LEFT JOIN customers c ON c.customer_id = m.customer_id
       LEFT JOIN managers g ON g.manager_id = m.manager_id
       LEFT JOIN customer_summary cs ON cs.customer_id = m.customer_id
       WHERE ${clause}
       ORDER BY m.member_group DESC, m.manager_id IS NULL, m.manager_id, m.rank, m.customer_id
       LIMIT @limit OFFSET @offset`,
    )
    .all(params) as {
    customer_id: string;
    name: string | null;
    mobile: string | null;
    manager_name: string | null;
    manager_id: string | null;
    stratum: string | null;
    aum_avg_3m: number | null;
    member_group: MemberGroup;
    arm: string | null;
    rank: number | null;
    reason: string | null;
  }[];
  const masked = readSettings(db).maskPii;
  return {
    total,
    rows: raw.map((r) => ({
      customer_id: r.customer_id,
      name: masked ? maskValue('name', r.name) : r.name,
      mobile: masked ? maskValue('mobile', r.mobile) : r.mobile,
      manager_name: r.manager_id === null ? POOL_NAME : (r.manager_name ?? r.manager_id),
      value_tier: r.stratum?.split('|')[1] || null,
      aum_avg_3m: r.aum_avg_3m,
      group: r.member_group,
      arm: r.arm,
      rank: r.rank,
      reason: r.reason,
    })),
  };
}
