/**
 * The overview snapshot (migration 008): the job computes and stores it, the query reads it back in one
 * lookup and says whether the workspace has changed since (workspaceStamp). Only the latest snapshot is
 * kept.
 */
import { basename, extname } from 'node:path';
import type { BranchOverview, OverviewState } from '../../../../shared/reports';
import type { JobContext, QueryContext } from '../../context';
import type { Db } from '../../db/workspace';
import { computeOverview } from './compute-overview';
import { checklist, dataRange, latestRunsInfo, workspaceStamp } from './workspace-state';

export function workspaceName(path: string | null): string | undefined {
  return path ? basename(path, extname(path)) : undefined;
}

export function readOverview(ctx: QueryContext): OverviewState {
  const db = ctx.db();
  const stamp = workspaceStamp(db);
  const row = db.prepare('SELECT overview_json FROM overview_snapshots ORDER BY snapshot_id DESC LIMIT 1').get() as { overview_json: string } | undefined;
  const overview = row ? (JSON.parse(row.overview_json) as BranchOverview) : null;
  return { overview, checklist: checklist(dataRange(db), latestRunsInfo(db)), stamp, stale: overview === null || overview.stamp !== stamp };
}

export function storeOverview(db: Db, overview: BranchOverview): void {
  db.transaction(() => {
    db.prepare('DELETE FROM overview_snapshots').run();
    db.prepare('INSERT INTO overview_snapshots (stamp, as_of, computed_at, overview_json) VALUES (?, ?, ?, ?)').run(overview.stamp, overview.asOf, overview.computedAt, JSON.stringify(overview));
  })();
}

export async function refreshOverview(ctx: JobContext): Promise<BranchOverview> {
  const db = ctx.db();
  const phase = '计算经营概览';
  ctx.progress(phase, 0, 1);
  const overview = computeOverview(db, {
    workspaceName: workspaceName(ctx.workspacePath()),
    onProgress: (done, total) => ctx.progress(phase, done, total),
    throwIfCancelled: () => ctx.throwIfCancelled(),
  });
  ctx.throwIfCancelled();
  storeOverview(db, overview);
  ctx.progress(phase, 1, 1);
  return overview;
}
