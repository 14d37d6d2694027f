/**
 * The history of a community's activities, from what the branch already records: community events in the
 * contact records (interactions of kind `event`, one row per customer who took part, the activity's name
 * before the comma of the outcome: “反诈宣传讲座，已参加”) and the campaigns its customers were listed in.
 * Past events are entered into the activity register (source 'history') so that they show in the calendar
 * and the community portrait next to planned ones, with the same evaluation.
 */
import type { CampaignHistoryRow } from '../../../shared/community-types';
import type { Db } from '../db/workspace';

/** Outcomes that say only that the customer came, not what the event was. */
const BARE_OUTCOMES = ['参加', '已参加', '报名', '已报名', '出席', '已出席'];

/**
 * The event's name from an interaction's outcome (alias i): the text before the first comma, or the whole
 * outcome, clipped; 社区活动 when the outcome says nothing more than attendance.
 */
export const EVENT_THEME_SQL = `(CASE
  WHEN instr(i.outcome, '，') > 1 THEN substr(i.outcome, 1, min(instr(i.outcome, '，') - 1, 40))
  WHEN instr(i.outcome, ',') > 1 THEN substr(i.outcome, 1, min(instr(i.outcome, ',') - 1, 40))
  WHEN coalesce(trim(i.outcome), '') = '' OR trim(i.outcome) IN (${BARE_OUTCOMES.map((o) => `'${o}'`).join(', ')}) THEN '社区活动'
  ELSE substr(trim(i.outcome), 1, 40) END)`;

/**
 * Enters every community event of the contact records not yet in the register, as a done activity of the
 * community's manager. Returns how many were added. Events of customers without a known community are left
 * out: they belong to no community.
 */
export function syncEventHistory(db: Db): number {
  const now = new Date().toISOString();
  const result = db
    .prepare(
      `INSERT INTO community_activities (community_id, kind, date, manager_id, status, source, created_at, updated_at)
       SELECT e.community_id, e.kind, e.date, cm.manager_id, 'done', 'history', ?, ?
       FROM (SELECT DISTINCT c.community_id AS community_id, i.date AS date, ${EVENT_THEME_SQL} AS kind
             FROM interactions i JOIN customers c ON c.customer_id = i.customer_id
             WHERE i.kind = 'event' AND c.community_id IS NOT NULL) e
       JOIN communities cm ON cm.community_id = e.community_id
       WHERE NOT EXISTS (SELECT 1 FROM community_activities a WHERE a.source = 'history' AND a.community_id = e.community_id AND a.date = e.date AND a.kind = e.kind)
       ORDER BY e.date, e.community_id`,
    )
    .run(now, now);
  return result.changes;
}

/**
 * Campaigns each community's customers were listed in, the latest first, with response and conversion:
 * one pass over the responses for the snapshot (responses have no index by customer, so a community's
 * campaigns are not looked up one community at a time).
 */
export function campaignHistoryByCommunity(db: Db): Map<string, CampaignHistoryRow[]> {
  const rows = db
    .prepare(
      `SELECT c.community_id AS communityId, cr.campaign_id AS campaignId, cp.name AS name, min(cr.responded_at) AS firstDate, count(*) AS listed,
         sum(cr.outcome IN ('responded', 'converted')) AS responded, sum(cr.outcome = 'converted') AS converted,
         sum(CASE WHEN cr.outcome = 'converted' THEN cr.amount END) AS amount
       FROM campaign_responses cr JOIN customers c ON c.customer_id = cr.customer_id
       LEFT JOIN campaigns cp ON cp.campaign_id = cr.campaign_id
       WHERE c.community_id IS NOT NULL GROUP BY c.community_id, cr.campaign_id ORDER BY c.community_id, firstDate DESC, cr.campaign_id`,
    )
    .all() as (Omit<CampaignHistoryRow, 'responseRate' | 'conversionRate'> & { communityId: string })[];
  const byCommunity = new Map<string, CampaignHistoryRow[]>();
  for (const { communityId, ...r } of rows) {
    const row = { ...r, responseRate: r.listed > 0 ? r.responded / r.listed : null, conversionRate: r.listed > 0 ? r.converted / r.listed : null };
    byCommunity.set(communityId, [...(byCommunity.get(communityId) ?? []), row]);
  }
  return byCommunity;
}
