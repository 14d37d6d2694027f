/**
 * The activity register (community_activities): listing with the evaluation of each activity, and saving
 * or deleting one by hand. Planned activities come from the monthly plan (plan-job.ts), past events from the
 * contact records (history.ts). Every change is written to the audit log.
 */
import type { ActivityInput } from '../../../shared/community';
import type { CampaignGoal } from '../../../shared/community-rules';
import type { ActivitySource, ActivityStatus, CommunityActivity } from '../../../shared/community-types';
import { validateRule } from '../../../shared/rule-compiler';
import type { RuleNode } from '../../../shared/rules';
import { monthEnd } from '../analytics/dates';
import { appendAudit } from '../audit';
import { listContext } from '../customers/list-context';
import type { Db } from '../db/workspace';
import { EngineError } from '../errors';
import { readSettings } from '../settings-store';
import type { ActivityEvaluation } from '../../../shared/community-types';
import { refreshEvaluations } from './evaluation';
import { currentReach } from './snapshot-store';

interface ActivityRow {
  activity_id: number;
  community_id: string;
  community_name: string | null;
  kind: string;
  rule_id: string | null;
  date: string;
  manager_id: string | null;
  manager_name: string | null;
  status: ActivityStatus;
  source: ActivitySource;
  reason: string | null;
  audience_json: string | null;
  target_size: number | null;
  budget: number | null;
  goal_type: string | null;
  goal_signups: number | null;
  goal_new_accounts: number | null;
  goal_aum: number | null;
  campaign_id: string | null;
  plan_month: string | null;
  opportunity_score: number | null;
  evaluation_json: string | null;
}

const SELECT = `SELECT a.*, cm.name AS community_name, m.name AS manager_name FROM community_activities a
  LEFT JOIN communities cm ON cm.community_id = a.community_id LEFT JOIN managers m ON m.manager_id = a.manager_id`;

const clip = (text: string, max = 60) => (text.length > max ? `${text.slice(0, max)}…` : text);

export interface ActivityFilter {
  month?: string | undefined;
  communityId?: string | undefined;
  limit?: number | undefined;
}

export function listActivities(db: Db, filter: ActivityFilter = {}): CommunityActivity[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.month) {
    where.push('a.date BETWEEN ? AND ?');
    params.push(`${filter.month}-01`, monthEnd(filter.month));
  }
  if (filter.communityId) {
    where.push('a.community_id = ?');
    params.push(filter.communityId);
  }
  const rows = db
    .prepare(`${SELECT} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.date DESC, a.activity_id DESC LIMIT ?`)
    .all(...params, filter.limit ?? 500) as ActivityRow[];
  return rows.map(toActivity);
}

function toActivity(row: ActivityRow): CommunityActivity {
  return {
    activityId: row.activity_id,
    communityId: row.community_id,
    communityName: row.community_name ?? row.community_id,
    kind: row.kind,
    ruleId: row.rule_id,
    date: row.date,
    managerId: row.manager_id,
    managerName: row.manager_name,
    status: row.status,
    source: row.source,
    reason: row.reason,
    audience: row.audience_json ? (JSON.parse(row.audience_json) as RuleNode) : null,
    targetSize: row.target_size,
    budget: row.budget,
    goal: { signups: row.goal_signups, newAccounts: row.goal_new_accounts, aum: row.goal_aum },
    goalType: (row.goal_type as CampaignGoal | null) ?? null,
    campaignId: row.campaign_id,
    planMonth: row.plan_month,
    opportunityScore: row.opportunity_score,
    evaluation: row.evaluation_json ? (JSON.parse(row.evaluation_json) as ActivityEvaluation) : null,
  };
}

export function getActivity(db: Db, activityId: number): CommunityActivity {
  const row = db.prepare(`${SELECT} WHERE a.activity_id = ?`).get(activityId) as ActivityRow | undefined;
  if (!row) throw new EngineError('not_found', `没有编号为 ${activityId} 的社区活动，可能已被删除，请刷新活动列表`);
  return toActivity(row);
}

function assertReferences(db: Db, input: ActivityInput): void {
  const exists = (sql: string, ...ids: string[]) => db.prepare(sql).get(...ids) !== undefined;
  if (!exists('SELECT 1 FROM communities WHERE community_id = ?', input.communityId)) {
    throw new EngineError('bad_input', `社区“${clip(input.communityId)}”不在社区表中，请从列表中选择社区`);
  }
  if (input.managerId && !exists('SELECT 1 FROM managers WHERE manager_id = ? UNION SELECT 1 FROM customers WHERE manager_id = ?', input.managerId, input.managerId)) {
    throw new EngineError('bad_input', `客户经理“${clip(input.managerId)}”不在客户经理表中，请从列表中选择`);
  }
  if (input.campaignId && !exists('SELECT 1 FROM campaigns WHERE campaign_id = ? UNION SELECT 1 FROM campaign_responses WHERE campaign_id = ?', input.campaignId, input.campaignId)) {
    throw new EngineError('bad_input', `没有编号为“${clip(input.campaignId)}”的营销活动，请先在“营销活动”中建立活动，或从列表中选择`);
  }
  if (input.audience) {
    const issues = validateRule(input.audience, listContext(db).catalog);
    if (issues.length > 0) throw new EngineError('bad_input', `目标客户规则有误：${issues.map((i) => i.message).join('；')}`);
  }
}

/** Creates or updates an activity; returns it as the register now holds it. */
export function saveActivity(db: Db, input: ActivityInput): CommunityActivity {
  assertReferences(db, input);
  const now = new Date().toISOString();
  const values = {
    community_id: input.communityId,
    kind: input.kind,
    rule_id: input.ruleId ?? null,
    date: input.date,
    manager_id: input.managerId || null,
    status: input.status,
    reason: input.reason ?? null,
    audience_json: input.audience ? JSON.stringify(input.audience) : null,
    target_size: input.targetSize ?? null,
    budget: input.budget ?? null,
    goal_type: input.goalType ?? null,
    goal_signups: input.goalSignups ?? null,
    goal_new_accounts: input.goalNewAccounts ?? null,
    goal_aum: input.goalAum ?? null,
    campaign_id: input.campaignId || null,
  };
  let activityId = input.activityId;
  if (activityId === undefined) {
    activityId = Number(
      db
        .prepare(
          `INSERT INTO community_activities (community_id, kind, rule_id, date, manager_id, status, source, reason, audience_json, target_size, budget, goal_type,
             goal_signups, goal_new_accounts, goal_aum, campaign_id, plan_month, created_at, updated_at)
           VALUES (@community_id, @kind, @rule_id, @date, @manager_id, @status, 'manual', @reason, @audience_json, @target_size, @budget, @goal_type,
             @goal_signups, @goal_new_accounts, @goal_aum, @campaign_id, @plan_month, @now, @now)`,
        )
        .run({ ...values, plan_month: input.date.slice(0, 7), now }).lastInsertRowid,
    );
  } else {
    const existing = getActivity(db, activityId);
    if (existing.source === 'history' && (existing.communityId !== input.communityId || existing.date !== input.date || existing.kind !== input.kind)) {
      throw new EngineError('bad_input', '来自客户接触记录的历史活动不能修改社区、日期和名称，只能补充目标、预算和关联的营销活动');
    }
    db.prepare(
      `UPDATE community_activities SET community_id = @community_id, kind = @kind, rule_id = @rule_id, date = @date, manager_id = @manager_id, status = @status,
         reason = @reason, audience_json = @audience_json, target_size = @target_size, budget = @budget, goal_type = @goal_type, goal_signups = @goal_signups,
         goal_new_accounts = @goal_new_accounts, goal_aum = @goal_aum, campaign_id = @campaign_id, updated_at = @now WHERE activity_id = @id`,
    ).run({ ...values, now, id: activityId });
  }
  refreshEvaluations(db, currentReach(db), readSettings(db).community.planning.evaluationDays, activityId);
  appendAudit(db, { action: 'community.activity.save', params: { activityId, communityId: input.communityId, kind: input.kind, date: input.date, status: input.status, campaignId: values.campaign_id }, rowCount: 1 });
  return getActivity(db, activityId);
}

export function deleteActivity(db: Db, activityId: number): null {
  const existing = getActivity(db, activityId);
  if (existing.source === 'history') throw new EngineError('bad_input', '来自客户接触记录的历史活动不能删除；如不再计入，请把状态改为“已取消”');
  db.prepare('DELETE FROM community_activities WHERE activity_id = ?').run(activityId);
  appendAudit(db, { action: 'community.activity.delete', params: { activityId, communityId: existing.communityId, kind: existing.kind, date: existing.date }, rowCount: 1 });
  return null;
}

/** Campaigns an activity can be linked to: the campaigns table, and campaign ids seen in imported responses. */
export function campaignOptions(db: Db): { campaignId: string; name: string; status: string }[] {
  return db
    .prepare(
      `SELECT campaign_id AS campaignId, name, status FROM campaigns
       UNION SELECT DISTINCT campaign_id, campaign_id, 'imported' FROM campaign_responses WHERE campaign_id NOT IN (SELECT campaign_id FROM campaigns)
       ORDER BY 1`,
    )
    .all() as { campaignId: string; name: string; status: string }[];
}
