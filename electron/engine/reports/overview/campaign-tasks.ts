/**
 * Open campaign tasks per relationship manager: target members of a running campaign without any response
 * row yet (not contacted, not answered). Reads the campaign tables as they are in 001-initial.ts; the
 * campaigns capability (issue #10) may point this at its own task list. A campaign counts as running unless
 * its status says it has not started or is over.
 */
import type { Db } from '../../db/workspace';

export const NOT_RUNNING_STATUSES = ['draft', 'closed', 'finished', 'completed', 'cancelled', 'archived'] as const;

export function openCampaignTasks(db: Db): Map<string, number> {
  const rows = db
    .prepare(
      `SELECT coalesce(m.manager_id, c.manager_id, '') AS manager_id, count(*) AS n
       FROM campaign_members m
       JOIN campaigns k ON k.campaign_id = m.campaign_id
       LEFT JOIN customers c ON c.customer_id = m.customer_id
       WHERE m.member_group = 'target'
         AND k.status NOT IN (SELECT value FROM json_each(?))
         AND NOT EXISTS (SELECT 1 FROM campaign_responses r WHERE r.campaign_id = m.campaign_id AND r.customer_id = m.customer_id)
       GROUP BY 1`,
    )
    .all(JSON.stringify(NOT_RUNNING_STATUSES)) as { manager_id: string; n: number }[];
  return new Map(rows.map((r) => [r.manager_id, r.n]));
}
