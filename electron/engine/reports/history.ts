/** The report history screen's rows (report_exports, migration 008) and the report screen's pickers. */
import { existsSync } from 'node:fs';
import type { ReportHistoryEntry, ReportSources } from '../../../shared/reports';
import { latestScoredRun } from '../analytics/churn/scored-run';
import type { Db } from '../db/workspace';

export function reportHistory(db: Db, limit: number): ReportHistoryEntry[] {
  const rows = db
    .prepare('SELECT export_id AS exportId, at, kind, title, format, path, sha256, bytes, pages FROM report_exports ORDER BY export_id DESC LIMIT ?')
    .all(limit) as Omit<ReportHistoryEntry, 'exists'>[];
  return rows.map((r) => ({ ...r, exists: existsSync(r.path) }));
}

export function reportSources(db: Db): ReportSources {
  const campaigns = db
    .prepare(
      `SELECT id, max(name) AS name FROM (
         SELECT campaign_id AS id, name FROM campaigns
         UNION ALL SELECT DISTINCT campaign_id, NULL FROM campaign_responses
       ) GROUP BY id ORDER BY id`,
    )
    .all() as { id: string; name: string | null }[];
  return {
    segments: db.prepare('SELECT segment_id AS id, name FROM segments ORDER BY name').all() as ReportSources['segments'],
    tags: db.prepare('SELECT tag_id AS id, name, category FROM tags ORDER BY category, name').all() as ReportSources['tags'],
    communities: db.prepare('SELECT community_id AS id, name FROM communities ORDER BY community_id').all() as ReportSources['communities'],
    campaigns: campaigns.map((c) => ({ id: c.id, name: c.name ?? c.id })),
    months: db.prepare('SELECT DISTINCT month FROM balances ORDER BY month DESC').pluck().all() as string[],
    scored: latestScoredRun(db) !== null,
  };
}
