import type { ImportBatchSummary, TableCount, WorkspaceInfo } from '../../shared/api';
import { ENTITIES, type EntityKey } from '../../shared/dictionary';
import type { Db } from './db/workspace';
import { schemaVersion } from './db/workspace';

/** Tables shown in the workspace overview: the imported ones, then what analyses wrote. */
const DERIVED_TABLES: readonly [string, string][] = [
  ['customer_features', '客户特征'],
  ['customer_scores', '客户评分'],
  ['customer_tags', '客户标签'],
  ['segments', '客群'],
  ['models', '模型'],
  ['recommendations', '产品推荐'],
  ['campaigns', '营销活动'],
  ['import_batches', '导入批次'],
  ['audit_log', '审计日志'],
];

export function tableCounts(db: Db): TableCount[] {
  const tables: [string, string][] = [...ENTITIES.map((e) => [e.table, e.label] as [string, string]), ...DERIVED_TABLES];
  // Table names come from the dictionary and the list above, never from a request.
  return tables.map(([table, label]) => ({ table, label, rows: (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n }));
}

export function importHistory(db: Db, limit = 200): ImportBatchSummary[] {
  const rows = db
    .prepare(
      `SELECT batch_id, entity, file_name, file_sha256, status, policy, rows_read, rows_loaded, rows_rejected, started_at, finished_at, message
       FROM import_batches ORDER BY batch_id DESC LIMIT ?`,
    )
    .all(limit) as {
    batch_id: number; entity: EntityKey; file_name: string; file_sha256: string; status: 'committed' | 'rejected'; policy: 'reject' | 'skip-bad';
    rows_read: number; rows_loaded: number; rows_rejected: number; started_at: string; finished_at: string; message: string | null;
  }[];
  return rows.map((r) => ({
    batchId: r.batch_id,
    entity: r.entity,
    fileName: r.file_name,
    fileSha256: r.file_sha256,
    status: r.status,
    policy: r.policy,
    rowsRead: r.rows_read,
    rowsLoaded: r.rows_loaded,
    rowsRejected: r.rows_rejected,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    message: r.message,
  }));
}

export function workspaceInfo(db: Db, path: string): WorkspaceInfo {
  return { path, schemaVersion: schemaVersion(db), tables: tableCounts(db), imports: importHistory(db) };
}
