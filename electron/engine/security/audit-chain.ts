/**
 * The audit log's hash chain. Each row's `hash` is SHA-256 over the previous row's hash and the row's own
 * content, so a row edited or deleted outside the app (the triggers dropped first) no longer matches, and
 * neither does anything after it. `verifyAuditChain` walks the log in id order and reports the first row
 * that does not match, and whether the protecting triggers are still in place.
 *
 * What the chain cannot see: rows cut from the end together with nothing after them, or a log rewritten
 * and re-hashed in full by someone who read this file. The head hash `audit verify` prints is what to note
 * elsewhere (a backup record, a report) to catch those.
 */
import { createHash } from 'node:crypto';
import type { AuditBreak, AuditVerification } from '../../../shared/security';
import type { Db } from '../db/workspace';

/** The hash a chain starts from. */
export const GENESIS_HASH = '0'.repeat(64);

/** The columns of audit_log that the hash covers, in this order. */
export interface AuditRowContent {
  id: number;
  at: string;
  action: string;
  params_json: string;
  row_count: number | null;
  output_sha256: string | null;
  reason: string | null;
  summary: string | null;
  os_user: string | null;
  machine: string | null;
}

export function auditRowHash(previous: string | null, row: AuditRowContent): string {
  const content = JSON.stringify([row.id, row.at, row.action, row.params_json, row.row_count, row.output_sha256, row.reason, row.summary, row.os_user, row.machine]);
  return createHash('sha256').update(previous ?? GENESIS_HASH).update('\n').update(content).digest('hex');
}

/**
 * Registers bpw_audit_hash(previous, id, at, action, params_json, row_count, output_sha256, reason, summary,
 * os_user, machine) on a connection: migration 009 seals the rows written before the chain existed with
 * it, so SQL and TypeScript hash with one implementation.
 */
export function registerAuditFunctions(db: Db): void {
  db.function('bpw_audit_hash', { deterministic: true, varargs: false }, (previous, id, at, action, paramsJson, rowCount, outputSha256, reason, summary, osUser, machine) =>
    auditRowHash(previous as string | null, {
      id: Number(id),
      at: at as string,
      action: action as string,
      params_json: paramsJson as string,
      row_count: rowCount === null ? null : Number(rowCount),
      output_sha256: outputSha256 as string | null,
      reason: reason as string | null,
      summary: summary as string | null,
      os_user: osUser as string | null,
      machine: machine as string | null,
    }),
  );
}

/** The triggers that keep the log append-only; verification reports any that is missing. */
export const AUDIT_TRIGGERS = ['audit_log_no_update', 'audit_log_no_delete', 'audit_log_no_replace'] as const;

const PAGE = 5_000;

/** Recomputes the chain from the first row; `onProgress` gets rows checked so far. */
export function verifyAuditChain(db: Db, onProgress?: (done: number, total: number) => void): AuditVerification {
  const total = (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
  const page = db.prepare(
    'SELECT id, at, action, params_json, row_count, output_sha256, reason, summary, os_user, machine, hash FROM audit_log WHERE id > ? ORDER BY id LIMIT ?',
  );
  let previous: string | null = null;
  let after = Number.MIN_SAFE_INTEGER;
  let rows = 0;
  let firstBreak: AuditBreak | null = null;
  for (;;) {
    const batch = page.all(after, PAGE) as (AuditRowContent & { hash: string | null })[];
    for (const row of batch) {
      rows++;
      const expected = auditRowHash(previous, row);
      if (firstBreak === null && row.hash !== expected) {
        firstBreak = { id: row.id, at: row.at, action: row.action, kind: row.hash === null ? 'missing_hash' : 'edited' };
      }
      // Continue from the stored hash: one edited row is reported once, not as a break of every later row.
      previous = row.hash ?? expected;
    }
    onProgress?.(rows, total);
    if (batch.length < PAGE) break;
    after = batch[batch.length - 1]!.id;
  }
  const present = new Set((db.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'audit_log'").all() as { name: string }[]).map((r) => r.name));
  const missingTriggers = AUDIT_TRIGGERS.filter((name) => !present.has(name));
  return { ok: firstBreak === null && missingTriggers.length === 0, rows, headHash: previous, firstBreak, missingTriggers };
}
