/**
 * Where a clustering is kept: one analysis_runs row of kind 'segmentation' (params: features, k, seed and
 * the features run; metrics: silhouette, curve and profiles) and the cluster of every customer in
 * cluster_assignments (migration 004), until the analyst saves clusters as segments.
 *
 * The latest clustering is also copied into customer_scores.cluster_id of the latest scores, which the
 * rule catalog's 聚类分群编号 and the customer list read. Those rows belong to a customer-analysis run, so
 * only that one column is touched, and the segmentation run records which scores it wrote to.
 */
import type { ClusterProfile, SegmentationResult } from '../../../../shared/analytics';
import type { Db } from '../../db/workspace';
import { EngineError } from '../../errors';
import type { Imputation } from './feature-matrix';

export const SEGMENTATION_KIND = 'segmentation';

export interface SegmentationParams {
  features: string[];
  /** k as requested; null when suggested by the silhouette. */
  k: number | null;
  seed: number;
  featureRunId: number;
}

export interface SegmentationMetrics {
  k: number;
  silhouette: number;
  silhouetteCurve: SegmentationResult['silhouetteCurve'];
  customers: number;
  imputed: Imputation[];
  features: { key: string; label: string }[];
  clusters: ClusterProfile[];
  overallMedians?: Record<string, number>;
  /** The customer-analysis run whose customer_scores.cluster_id got this clustering, if any. */
  scoreRunId: number | null;
}

export function startSegmentationRun(db: Db, params: SegmentationParams, asOf: string | null): number {
  const result = db
    .prepare("INSERT INTO analysis_runs (kind, params_json, as_of, status, started_at) VALUES (?, ?, ?, 'running', ?)")
    .run(SEGMENTATION_KIND, JSON.stringify(params), asOf, new Date().toISOString());
  return Number(result.lastInsertRowid);
}

export function failSegmentationRun(db: Db, runId: number, status: 'failed' | 'cancelled'): void {
  db.prepare('UPDATE analysis_runs SET status = ?, finished_at = ? WHERE run_id = ?').run(status, new Date().toISOString(), runId);
}

/** Stores the assignments and marks the run succeeded, in one transaction. */
export function finishSegmentationRun(
  db: Db,
  runId: number,
  customerIds: readonly string[],
  labels: ArrayLike<number>,
  metrics: Omit<SegmentationMetrics, 'scoreRunId'>,
  timings: Record<string, number>,
  scoreRunId: number | null,
): void {
  db.transaction(() => {
    const insert = db.prepare('INSERT INTO cluster_assignments (run_id, customer_id, cluster) VALUES (?, ?, ?)');
    for (let i = 0; i < customerIds.length; i++) insert.run(runId, customerIds[i], labels[i]);
    if (scoreRunId !== null) {
      // Customers the clustering did not cover get NULL rather than an older clustering's number.
      db.prepare(
        'UPDATE customer_scores SET cluster_id = (SELECT a.cluster FROM cluster_assignments a WHERE a.run_id = ? AND a.customer_id = customer_scores.customer_id) WHERE run_id = ?',
      ).run(runId, scoreRunId);
    }
    const full: SegmentationMetrics = { ...metrics, scoreRunId };
    db.prepare("UPDATE analysis_runs SET status = 'succeeded', metrics_json = ?, timings_json = ?, finished_at = ? WHERE run_id = ?").run(
      JSON.stringify(full),
      JSON.stringify(timings),
      new Date().toISOString(),
      runId,
    );
  })();
}

export interface StoredSegmentation {
  runId: number;
  asOf: string | null;
  params: SegmentationParams;
  metrics: SegmentationMetrics;
}

/** A succeeded segmentation run, or a Chinese error saying what to do. */
export function readSegmentationRun(db: Db, runId: number): StoredSegmentation {
  const row = db.prepare('SELECT run_id, kind, status, as_of, params_json, metrics_json FROM analysis_runs WHERE run_id = ?').get(runId) as
    | { run_id: number; kind: string; status: string; as_of: string | null; params_json: string; metrics_json: string | null }
    | undefined;
  if (!row || row.kind !== SEGMENTATION_KIND) throw new EngineError('not_found', `找不到分群结果（批次 ${runId}），请重新运行客户分群`);
  if (row.status !== 'succeeded' || !row.metrics_json) throw new EngineError('bad_input', `分群批次 ${runId} 没有完成，请重新运行客户分群`);
  return { runId: row.run_id, asOf: row.as_of, params: JSON.parse(row.params_json) as SegmentationParams, metrics: JSON.parse(row.metrics_json) as SegmentationMetrics };
}
