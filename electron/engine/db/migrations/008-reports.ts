/**
 * Tables of the branch overview and the report history (issue #11).
 *
 * - overview_snapshots: the last computed branch overview as JSON, with the stamp of the data it was
 *   computed from. The overview screen reads it in one indexed lookup (a query answers in < 100 ms) and
 *   recomputes as a job when the stamp no longer matches the workspace.
 * - report_exports: one row per report file written (PDF, XLSX or PPTX), for the history screen. The audit
 *   log holds the same export with its SHA-256; this table is what the screen lists and reopens.
 */
export const up = /* sql */ `
CREATE TABLE overview_snapshots (
  snapshot_id INTEGER PRIMARY KEY,
  stamp TEXT NOT NULL,
  as_of TEXT NOT NULL,
  computed_at TEXT NOT NULL,
  overview_json TEXT NOT NULL
);

CREATE TABLE report_exports (
  export_id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('pdf', 'xlsx', 'pptx')),
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  pages INTEGER,
  params_json TEXT NOT NULL DEFAULT '{}'
);
`;
