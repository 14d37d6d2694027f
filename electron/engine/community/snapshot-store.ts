/**
 * Reading the community snapshots (community_units of `community` runs): the latest run, or the one asked
 * for, with its units by scope. A snapshot is stale when an import or a customer analysis finished after it:
 * the screens then offer to refresh it.
 */
import type { CommunityRunInfo, CommunityScope, CommunityUnit } from '../../../shared/community-types';
import type { Db } from '../db/workspace';
import { EngineError } from '../errors';
import { dataReach, type DataReach } from './evaluation';

export const COMMUNITY_RUN_KIND = 'community';

export interface RunMetrics {
  month: string;
  periodFrom: string;
  scoresAsOf: string | null;
  unassignedCustomers: number;
  notes: string[];
  /** The last day and balance month the data reached when the snapshot was taken (evaluation.ts). */
  reach: DataReach;
}

interface RunRow {
  run_id: number;
  as_of: string;
  finished_at: string;
  metrics_json: string;
}

/** The latest succeeded snapshot, or the one of `runId`; null when none was taken. */
export function findRun(db: Db, runId?: number): CommunityRunInfo | null {
  const row = (
    runId === undefined
      ? db.prepare("SELECT run_id, as_of, finished_at, metrics_json FROM analysis_runs WHERE kind = ? AND status = 'succeeded' ORDER BY run_id DESC LIMIT 1").get(COMMUNITY_RUN_KIND)
      : db.prepare("SELECT run_id, as_of, finished_at, metrics_json FROM analysis_runs WHERE kind = ? AND status = 'succeeded' AND run_id = ?").get(COMMUNITY_RUN_KIND, runId)
  ) as RunRow | undefined;
  if (!row) {
    if (runId !== undefined) throw new EngineError('not_found', `没有编号为 ${runId} 的社区画像，请重新计算社区画像`);
    return null;
  }
  const metrics = JSON.parse(row.metrics_json) as RunMetrics;
  return {
    runId: row.run_id,
    month: metrics.month,
    asOf: row.as_of,
    periodFrom: metrics.periodFrom,
    scoresAsOf: metrics.scoresAsOf,
    finishedAt: row.finished_at,
    stale: isStale(db, row.run_id, row.finished_at),
    unassignedCustomers: metrics.unassignedCustomers,
    notes: metrics.notes,
  };
}

/** Runs whose results the snapshot reads: a newer one makes it stale. */
const SOURCE_RUN_KINDS = ['customer_analysis', 'churn_score'];

/** An import committed, or a customer analysis or churn scoring finished, after the snapshot. */
function isStale(db: Db, runId: number, finishedAt: string): boolean {
  const later = db
    .prepare(
      `SELECT EXISTS (SELECT 1 FROM import_batches WHERE status = 'committed' AND finished_at > ?)
           OR EXISTS (SELECT 1 FROM analysis_runs WHERE run_id > ? AND kind IN (?, ?) AND status = 'succeeded') AS later`,
    )
    .get(finishedAt, runId, ...SOURCE_RUN_KINDS) as { later: number };
  return later.later === 1;
}

export function readUnits(db: Db, runId: number, scope: CommunityScope): CommunityUnit[] {
  const rows = db.prepare('SELECT unit_json FROM community_units WHERE run_id = ? AND scope = ? ORDER BY unit_id').all(runId, scope) as { unit_json: string }[];
  return rows.map((r) => JSON.parse(r.unit_json) as CommunityUnit);
}

export function readUnit(db: Db, runId: number, scope: CommunityScope, id: string): CommunityUnit | null {
  const row = db.prepare('SELECT unit_json FROM community_units WHERE run_id = ? AND scope = ? AND unit_id = ?').get(runId, scope, id) as { unit_json: string } | undefined;
  return row ? (JSON.parse(row.unit_json) as CommunityUnit) : null;
}

/**
 * How far the data reaches, for evaluations: from the latest snapshot while it is current (finding the
 * latest date of every table walks them all), else measured now.
 */
export function currentReach(db: Db): DataReach {
  const run = findRun(db);
  if (run && !run.stale) {
    const metrics = JSON.parse((db.prepare('SELECT metrics_json FROM analysis_runs WHERE run_id = ?').get(run.runId) as { metrics_json: string }).metrics_json) as Partial<RunMetrics>;
    if (metrics.reach) return metrics.reach;
  }
  return dataReach(db);
}

export function requireRun(db: Db, runId?: number): CommunityRunInfo {
  const run = findRun(db, runId);
  if (!run) throw new EngineError('not_found', '还没有社区画像，请先在“社区营销”页点击“计算社区画像”（命令行：community rank）');
  return run;
}
