import type { AuditEntry } from '../../shared/api';
import type { Db } from './db/workspace';
import { auditRowHash, type AuditRowContent } from './security/audit-chain';
import { describeAudit } from './security/audit-words';
import { currentOperator } from './security/operator';

export interface AuditRecord {
  action: string;
  params?: Record<string, unknown>;
  rowCount?: number | null;
  outputSha256?: string | null;
  reason?: string | null;
  /** The entry in words; described from action and params (security/audit-words.ts) when absent. */
  summary?: string;
}

/**
 * Appends to the audit log. The table only accepts inserts (triggers reject UPDATE, DELETE and an insert
 * over an existing row), and each row is chained to the previous one by its SHA-256 (security/audit-chain.ts),
 * so the log is a faithful record of imports, exports, unmasking, model training and settings changes,
 * with the operating system's user and the machine that made them.
 *
 * Reading the last hash and writing the next row happen under the write lock (an immediate transaction,
 * or the caller's transaction), so the two engine connections never chain to the same row.
 */
export function appendAudit(db: Db, record: AuditRecord): void {
  const params = record.params ?? {};
  const rowCount = record.rowCount ?? null;
  const reason = record.reason ?? null;
  const operator = currentOperator();
  const write = () => {
    const last = db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string | null } | undefined;
    const row: AuditRowContent = {
      id: (last?.id ?? 0) + 1,
      at: new Date().toISOString(),
      action: record.action,
      params_json: JSON.stringify(params),
      row_count: rowCount,
      output_sha256: record.outputSha256 ?? null,
      reason,
      summary: record.summary ?? describeAudit({ action: record.action, params, rowCount, reason }),
      os_user: operator.osUser,
      machine: operator.machine,
    };
    db.prepare(
      `INSERT INTO audit_log (id, at, action, params_json, row_count, output_sha256, reason, summary, os_user, machine, hash)
       VALUES (@id, @at, @action, @params_json, @row_count, @output_sha256, @reason, @summary, @os_user, @machine, @hash)`,
    ).run({ ...row, hash: auditRowHash(last?.hash ?? null, row) });
  };
  if (db.inTransaction) write();
  else db.transaction(write).immediate();
}

export interface AuditFilter {
  offset: number;
  limit: number;
  /** Only this action (e.g. 'export'). */
  action?: string | undefined;
  /** Local calendar days, inclusive: 'YYYY-MM-DD'. */
  from?: string | undefined;
  to?: string | undefined;
}

/** Midnight of a local calendar day as the UTC instant the log stores. */
function localDayStart(day: string, offsetDays = 0): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + offsetDays).toISOString();
}

function parseParams(json: string): Record<string, unknown> {
  try {
    const value = JSON.parse(json) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Newest first. `listAudit(db, offset, limit)` still works, as callers wrote it before the filters. */
export function listAudit(db: Db, filter: AuditFilter | number, limit?: number): { total: number; entries: AuditEntry[] } {
  const f: AuditFilter = typeof filter === 'number' ? { offset: filter, limit: limit ?? 100 } : filter;
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (f.action) {
    where.push('action = ?');
    params.push(f.action);
  }
  if (f.from) {
    where.push('at >= ?');
    params.push(localDayStart(f.from));
  }
  if (f.to) {
    where.push('at < ?');
    params.push(localDayStart(f.to, 1));
  }
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const total = (db.prepare(`SELECT count(*) AS n FROM audit_log ${clause}`).get(...params) as { n: number }).n;
  const rows = db
    .prepare(`SELECT id, at, action, params_json, row_count, output_sha256, reason, summary, os_user, machine FROM audit_log ${clause} ORDER BY id DESC LIMIT ? OFFSET ?`)
    .all(...params, f.limit, f.offset) as AuditRowContent[];
  return {
    total,
    entries: rows.map((r) => {
      const entryParams = parseParams(r.params_json);
      return {
        id: r.id,
        at: r.at,
        action: r.action,
        params: entryParams,
        rowCount: r.row_count,
        outputSha256: r.output_sha256,
        reason: r.reason,
        summary: r.summary ?? describeAudit({ action: r.action, params: entryParams, rowCount: r.row_count, reason: r.reason }),
        osUser: r.os_user,
        machine: r.machine,
      };
    }),
  };
}

/** The actions present in the log, for the filter of 审计日志. */
export function auditActions(db: Db): string[] {
  return (db.prepare('SELECT DISTINCT action FROM audit_log ORDER BY action').all() as { action: string }[]).map((r) => r.action);
}
