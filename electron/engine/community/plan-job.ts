/**
 * The `community.plan` job: next month's activities from the latest snapshot's ranking and the register
 * (planner.ts), optionally saved. Saving replaces the activities an earlier plan of the same month put in
 * the register and left as planned; activities entered by hand, done or cancelled stay.
 */
import type { ActivityPlan, ActivitySuggestion, CommunityRankRow } from '../../../shared/community-types';
import type { ProductCategory } from '../../../shared/dictionary';
import { appendAudit } from '../audit';
import type { JobContext } from '../context';
import { listContext } from '../customers/list-context';
import type { Db } from '../db/workspace';
import { EngineError } from '../errors';
import { compileRule } from '../../../shared/rule-compiler';
import { fromClause } from '../../../shared/rule-fields';
import { rankingContext, rankRows } from './ranking';
import { refreshEvaluations } from './evaluation';
import { currentReach, readUnits, requireRun } from './snapshot-store';
import { readSettings } from '../settings-store';
import { planMonth, type PlannerManager, type RegisteredActivity } from './planner';

export async function planActivities(ctx: JobContext, request: { month: string; save: boolean }): Promise<ActivityPlan> {
  const db = ctx.db();
  const run = requireRun(db);
  if (request.month < run.month) {
    throw new EngineError('bad_input', `计划月份 ${request.month} 早于社区画像的月份 ${run.month}，请选择 ${run.month} 之后的月份`);
  }
  ctx.progress('社区排名', 0, 3);
  const context = rankingContext(db, run.runId);
  const ranking = rankRows(readUnits(db, run.runId, 'community'), context);
  ctx.throwIfCancelled();
  ctx.progress('安排活动', 1, 3);
  const managers = db.prepare('SELECT manager_id AS id, name, team FROM managers ORDER BY manager_id').all() as PlannerManager[];
  const registered = db
    .prepare(
      `SELECT community_id AS communityId, kind, date, manager_id AS managerId FROM community_activities
       WHERE status <> 'cancelled' AND NOT (source = 'plan' AND status = 'planned' AND plan_month = ?) ORDER BY date`,
    )
    .all(request.month) as RegisteredActivity[];
  const familyBalance = Object.fromEntries(Object.entries(context.branch.familyBalances ?? {}).map(([family, b]) => [family, b.perHolder])) as Partial<Record<ProductCategory, number>>;
  const counter = liveCounter(db);
  const plan = planMonth({
    month: request.month,
    ranking,
    managers,
    registered,
    planning: context.settings.community.planning,
    familyBalance,
    countTargets: (_row: CommunityRankRow, suggestion: ActivitySuggestion) => counter(suggestion),
  });
  ctx.throwIfCancelled();
  ctx.progress('保存计划', 2, 3);
  if (request.save) savePlan(db, request.month, plan.activities);
  ctx.progress('保存计划', 3, 3);
  return { month: request.month, runId: run.runId, ...plan, saved: request.save };
}

/** Counts a suggestion's audience now, for suggestions whose rule changed since the snapshot counted it. */
function liveCounter(db: Db): (suggestion: ActivitySuggestion) => number | null {
  const { catalog } = listContext(db);
  const from = fromClause(catalog);
  return (suggestion) => {
    try {
      const rule = compileRule(suggestion.audience, catalog);
      return (db.prepare(`SELECT count(*) AS n FROM ${from.sql} WHERE ${rule.sql}`).get(...from.params, ...rule.params) as { n: number }).n;
    } catch {
      return null;
    }
  };
}

function savePlan(db: Db, month: string, activities: ActivityPlan['activities']): void {
  const now = new Date().toISOString();
  db.exec('BEGIN IMMEDIATE');
  try {
    const replaced = db.prepare("DELETE FROM community_activities WHERE source = 'plan' AND status = 'planned' AND plan_month = ?").run(month).changes;
    const insert = db.prepare(
      `INSERT INTO community_activities (community_id, kind, rule_id, date, manager_id, status, source, reason, audience_json, target_size, budget, goal_type,
         goal_signups, goal_new_accounts, goal_aum, plan_month, opportunity_score, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'planned', 'plan', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const a of activities) {
      a.activityId = Number(
        insert.run(a.communityId, a.kind, a.ruleId, a.date, a.managerId, a.reason, JSON.stringify(a.audience), a.targetSize, a.budget, a.goalType, a.goal.signups, a.goal.newAccounts, a.goal.aum, month, a.opportunityScore, now, now)
          .lastInsertRowid,
      );
    }
    // A plan for the snapshot's own month may already have data to evaluate; a later month stores null.
    const reach = currentReach(db);
    const days = readSettings(db).community.planning.evaluationDays;
    for (const a of activities) refreshEvaluations(db, reach, days, a.activityId as number);
    appendAudit(db, { action: 'community.plan', params: { month, replaced, activities: activities.length }, rowCount: activities.length });
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
