/**
 * Every community of a snapshot, ranked by opportunity, with the score's components and the suggested
 * activities, computed from the stored measures with the current settings (so a change of weights or of
 * the rule table shows at once, without a new snapshot).
 */
import type { CommunityMeasures, CommunityRanking, CommunityRankRow, CommunityUnit, HeadlineMeasures } from '../../../shared/community-types';
import type { Settings } from '../../../shared/settings';
import { listContext } from '../customers/list-context';
import type { Db } from '../db/workspace';
import { EngineError } from '../errors';
import { readSettings } from '../settings-store';
import { prepareAudience, type PreparedAudience } from './audience';
import { opportunityScore } from './opportunity';
import { findRun, readUnit, readUnits } from './snapshot-store';
import { suggestActivities } from './suggestions';

export interface RankingContext {
  settings: Settings;
  branch: CommunityUnit;
  audiences: ReadonlyMap<string, PreparedAudience>;
}

export function rankingContext(db: Db, runId: number, settings: Settings = readSettings(db)): RankingContext {
  const branch = readUnit(db, runId, 'branch', 'branch');
  if (!branch) throw new EngineError('not_found', '社区画像不完整，请重新计算社区画像');
  const { catalog } = listContext(db);
  const audiences = new Map(settings.community.activityRules.filter((r) => r.enabled).map((r) => [r.id, prepareAudience(r.audience, catalog)]));
  return { settings, branch, audiences };
}

/** The headline measures of a unit, as a row of the ranking or of a roll-up shows them. */
export function headline(m: CommunityMeasures): HeadlineMeasures {
  return {
    households: m.households,
    customers: m.customers,
    penetration: m.penetration,
    activeShare: m.activeShare,
    aumTotal: m.aumTotal,
    aumPerCustomer: m.aumPerCustomer,
    age60Share: m.age60Share,
    churnHighShare: m.churnHighShare,
    aumAtRisk: m.aumAtRisk,
    contactedShare: m.coverage.contactedShare,
    newCustomers: m.newCustomers,
    lostCustomers: m.lostCustomers,
  };
}

/** A community's row of the ranking (rank 0 until sorted). */
export function rankRow(unit: CommunityUnit, context: RankingContext): CommunityRankRow {
  const m = unit.measures;
  return {
    rank: 0,
    communityId: unit.id,
    name: unit.name,
    gridId: unit.gridId,
    gridName: unit.gridName,
    district: unit.district,
    managerId: unit.managerId,
    managerName: unit.managerName,
    longitude: unit.longitude,
    latitude: unit.latitude,
    ...headline(m),
    aumPerHousehold: m.aumPerHousehold,
    opportunity: opportunityScore(unit, context.branch, context.settings),
    suggestions: suggestActivities(unit, context.settings.community.activityRules, context),
    history: unit.history,
  };
}

/** Highest score first; ties by customers, then by id, so the order is stable. */
export function rankRows(units: readonly CommunityUnit[], context: RankingContext): CommunityRankRow[] {
  const rows = units.map((u) => rankRow(u, context));
  rows.sort((a, b) => b.opportunity.score - a.opportunity.score || b.customers - a.customers || a.communityId.localeCompare(b.communityId));
  rows.forEach((row, i) => (row.rank = i + 1));
  return rows;
}

export function rankCommunities(db: Db, runId?: number): CommunityRanking | null {
  const run = findRun(db, runId);
  if (!run) return null;
  const context = rankingContext(db, run.runId);
  return { run, branch: context.branch.measures, communities: rankRows(readUnits(db, run.runId, 'community'), context) };
}
