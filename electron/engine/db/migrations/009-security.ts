/**
 * Schema changes of hardening (issue #15).
 *
 * The audit log becomes tamper-evident: every row carries `hash`, a SHA-256 over the previous row's hash and
 * its own content (electron/engine/security/audit-chain.ts), so editing or deleting a row, even after
 * dropping the triggers, breaks the chain at that row. Rows written before this version are sealed into
 * the chain here, in id order, by the SQL function bpw_audit_hash the connection registers. A new trigger
 * refuses an insert over an existing id: `REPLACE INTO audit_log` used to delete the old row without firing
 * the delete trigger and write its own.
 *
 * Each entry also records who did it (the operating system's user and the machine) and what was done in
 * words (`summary`), and is indexed by action and time for the 审计日志 filters.
 *
 * `analysis_runs` learns which process started a run, so that a run left `running` by a crashed or blocked
 * process can be told apart from one still working in another process (security/stale-runs.ts). A trigger
 * stamps every run, whoever inserts it, with functions each engine connection registers.
 *
 * `backups` lists the backups made of this workspace, for the reminder when the last one is old.
 */
export const up = /* sql */ `
ALTER TABLE audit_log ADD COLUMN summary TEXT;
ALTER TABLE audit_log ADD COLUMN os_user TEXT;
ALTER TABLE audit_log ADD COLUMN machine TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;

CREATE TEMP TABLE audit_seal AS
WITH RECURSIVE chain (id, hash) AS (
  SELECT id, bpw_audit_hash(NULL, id, at, action, params_json, row_count, output_sha256, reason, summary, os_user, machine)
  FROM audit_log WHERE id = (SELECT min(id) FROM audit_log)
  UNION ALL
  SELECT a.id, bpw_audit_hash(chain.hash, a.id, a.at, a.action, a.params_json, a.row_count, a.output_sha256, a.reason, a.summary, a.os_user, a.machine)
  FROM chain JOIN audit_log a ON a.id = (SELECT min(id) FROM audit_log WHERE id > chain.id)
)
SELECT id, hash FROM chain;
DROP TRIGGER audit_log_no_update;
UPDATE audit_log SET hash = (SELECT s.hash FROM temp.audit_seal s WHERE s.id = audit_log.id);
DROP TABLE temp.audit_seal;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改'); END;
CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能覆盖已有记录'); END;

CREATE INDEX audit_log_action_at ON audit_log (action, at);
CREATE INDEX audit_log_at ON audit_log (at);

ALTER TABLE analysis_runs ADD COLUMN owner_host TEXT;
ALTER TABLE analysis_runs ADD COLUMN owner_pid INTEGER;
ALTER TABLE analysis_runs ADD COLUMN owner_token TEXT;
CREATE TRIGGER analysis_runs_owner AFTER INSERT ON analysis_runs WHEN NEW.owner_token IS NULL
BEGIN
  UPDATE analysis_runs SET owner_host = bpw_owner_host(), owner_pid = bpw_owner_pid(), owner_token = bpw_owner_token()
  WHERE run_id = NEW.run_id;
END;

CREATE TABLE backups (
  backup_id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  path TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  encrypted INTEGER NOT NULL CHECK (encrypted IN (0, 1))
);
`;
