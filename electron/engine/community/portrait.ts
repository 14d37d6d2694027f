/**
 * The portrait of one community (社区画像): its measures beside the branch, the product gaps ranked, the
 * opportunity score with its components, the suggested activities, its activity register with evaluations,
 * the campaigns its customers were in, and the managers serving it.
 *
 * `communityPortrait` is the plain engine function other capabilities build on (the community report reads
 * it): it needs a snapshot (community.analyze, or `ensureCommunitySnapshot` in a job) and takes the settings
 * to score with, the workspace's by default.
 */
import type { CommunityPortrait } from '../../../shared/community-types';
import type { Settings } from '../../../shared/settings';
import type { Db } from '../db/workspace';
import { EngineError } from '../errors';
import { listActivities } from './activities';
import { productGaps } from './opportunity';
import { rankingContext, rankRows } from './ranking';
import { readUnits, requireRun } from './snapshot-store';

export interface PortraitOptions {
  /** The snapshot to read; the latest by default. */
  runId?: number | undefined;
  /** Settings to score and suggest with; the workspace's by default. */
  settings?: Settings | undefined;
}

export function communityPortrait(db: Db, communityId: string, options: PortraitOptions = {}): CommunityPortrait {
  const run = requireRun(db, options.runId);
  const units = readUnits(db, run.runId, 'community');
  const unit = units.find((u) => u.id === communityId);
  if (!unit) throw new EngineError('not_found', `社区“${communityId.slice(0, 40)}”不在社区画像中；如果刚导入了社区表，请重新计算社区画像`);
  const context = rankingContext(db, run.runId, options.settings);
  const community = rankRows(units, context).find((row) => row.communityId === communityId)!;
  const names = new Map((db.prepare('SELECT manager_id AS id, name FROM managers').all() as { id: string; name: string }[]).map((m) => [m.id, m.name]));
  return {
    run,
    community,
    unit,
    measures: unit.measures,
    branch: context.branch.measures,
    gaps: productGaps(unit, context.branch, context.settings),
    activities: listActivities(db, { communityId, limit: 200 }),
    campaigns: unit.campaigns ?? [],
    managers: (unit.managers ?? []).map((m) => ({ ...m, name: m.managerId ? (names.get(m.managerId) ?? null) : null })),
  };
}
