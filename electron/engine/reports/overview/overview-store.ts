/**
 * The overview snapshot (migration 008): the job computes and stores it, the query reads it back in one
 * lookup and says whether the workspace has changed since (workspaceStamp). Only the latest snapshot is
 * kept.
 */
import { basename, extname } from 'node:path';
import type { BranchOverview, OverviewState } from '../../../../shared/reports';
import type { JobContext, QueryContext } from '../../context';
import type { Db } from '../../db/workspace';
import { readSettings } from '../../settings-store';
import { branchNameOf, computeOverview, type OverviewOptions } from './compute-overview';
import { checklist, dataRange, latestRunsInfo, workspaceStamp } from './workspace-state';

export function workspaceName(path: string | null): string | undefined {
  return path ? basename(path, extname(path)) : undefined;
}

function storedOverview(db: Db): BranchOverview | null {
  const row = db.prepare('SELECT overview_json FROM overview_snapshots ORDER BY snapshot_id DESC LIMIT 1').get() as { overview_json: string } | undefined;
  return row ? (JSON.parse(row.overview_json) as BranchOverview) : null;
}

export function readOverview(ctx: QueryContext): OverviewState {
  const db = ctx.db();
  const stamp = workspaceStamp(db);
  const overview = storedOverview(db);
  return { overview, checklist: checklist(dataRange(db), latestRunsInfo(db)), stamp, stale: overview === null || overview.stamp !== stamp };
}

/**
 * The overview of the latest month as the branch report prints it: the stored snapshot while the workspace
 * is unchanged since it was computed (the overview screen computed it on opening), else computed now and
 * stored for the screen. A report of an earlier month is always computed and never stored.
 */
export function latestOverview(db: Db, options: OverviewOptions): BranchOverview {
  const stored = storedOverview(db);
  // The file may have been copied or renamed since: the header takes today's name.
  if (stored && stored.stamp === workspaceStamp(db)) return { ...stored, branchName: branchNameOf(readSettings(db), options.workspaceName) };
  const overview = computeOverview(db, options);
  storeOverview(db, overview);
  return overview;
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
