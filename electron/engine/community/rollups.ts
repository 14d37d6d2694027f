/**
 * The grid and manager views: the same measures per 网格 and per 客户经理, from the snapshot, with the
 * opportunity of the communities in the grid or in the manager's charge and the activities of the month.
 */
import type { CommunityRollupRow } from '../../../shared/community-types';
import { addMonthsToMonth, monthEnd } from '../analytics/dates';
import type { Db } from '../db/workspace';
import { headline, rankingContext, rankRows } from './ranking';
import { findRun, readUnits } from './snapshot-store';

export function communityRollup(db: Db, scope: 'grid' | 'manager', month?: string): CommunityRollupRow[] {
  const run = findRun(db);
  if (!run) return [];
  const ranking = rankRows(readUnits(db, run.runId, 'community'), rankingContext(db, run.runId));
  const opportunity = new Map<string, number>();
  for (const row of ranking) {
    const key = scope === 'grid' ? row.gridId : row.managerId;
    if (key) opportunity.set(key, (opportunity.get(key) ?? 0) + row.opportunity.score);
  }
  // Activities of the planning month: the month after the snapshot unless one is asked for.
  const planMonth = month ?? addMonthsToMonth(run.month, 1);
  const activitySql =
    scope === 'grid'
      ? `SELECT cm.grid_id AS id, count(*) AS n FROM community_activities a JOIN communities cm ON cm.community_id = a.community_id
         WHERE a.status <> 'cancelled' AND a.date BETWEEN ? AND ? GROUP BY 1`
      : `SELECT manager_id AS id, count(*) AS n FROM community_activities WHERE status <> 'cancelled' AND date BETWEEN ? AND ? GROUP BY 1`;
  const activities = new Map((db.prepare(activitySql).all(`${planMonth}-01`, monthEnd(planMonth)) as { id: string | null; n: number }[]).map((r) => [r.id, r.n]));

  return readUnits(db, run.runId, scope)
    .map((u): CommunityRollupRow => {
      const m = u.measures;
      return {
        id: u.id,
        name: u.name,
        team: u.team ?? null,
        communities: u.communities,
        ...headline(m),
        // A manager's customers live anywhere: no households to be a share of.
        penetration: scope === 'grid' ? m.penetration : null,
        customersPerManager: m.coverage.customersPerManager,
        opportunity: opportunity.get(u.id) ?? (u.communities > 0 ? 0 : null),
        activitiesThisMonth: activities.get(u.id) ?? 0,
      };
    })
    .sort((a, b) => b.customers - a.customers || a.id.localeCompare(b.id));
}
