import type { AuditEntry } from '../../shared/api';
import type { Db } from './db/workspace';

export interface AuditRecord {
  action: string;
  params?: Record<string, unknown>;
  rowCount?: number | null;
  outputSha256?: string | null;
  reason?: string | null;
}

/**
 * Appends to the audit log. The table only accepts inserts (triggers reject UPDATE and DELETE), so the log
 * is a faithful record of imports, exports, unmasking, model training and settings changes.
 */
export function appendAudit(db: Db, record: AuditRecord): void {
  db.prepare('INSERT INTO audit_log (at, action, params_json, row_count, output_sha256, reason) VALUES (?, ?, ?, ?, ?, ?)').run(
    new Date().toISOString(),
    record.action,
    JSON.stringify(record.params ?? {}),
    record.rowCount ?? null,
    record.outputSha256 ?? null,
    record.reason ?? null,
  );
}

export function listAudit(db: Db, offset: number, limit: number): { total: number; entries: AuditEntry[] } {
  const total = (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
  const rows = db
    .prepare('SELECT id, at, action, params_json, row_count, output_sha256, reason FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?')
    .all(limit, offset) as { id: number; at: string; action: string; params_json: string; row_count: number | null; output_sha256: string | null; reason: string | null }[];
  return {
    total,
    entries: rows.map((r) => ({ id: r.id, at: r.at, action: r.action, params: JSON.parse(r.params_json) as Record<string, unknown>, rowCount: r.row_count, outputSha256: r.output_sha256, reason: r.reason })),
  };
}
