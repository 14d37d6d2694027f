/**
 * Post-activity evaluation (issue #12 §3): who took part, what they opened and what their assets did over
 * the evaluation window after the activity.
 *
 * - With a linked campaign the campaign's responses are the measure, the same way the campaigns screen
 *   counts them: participants are the responders, new accounts the conversions, AUM the converted amounts.
 * - Otherwise participants are the community's customers recorded at an event on the activity's day (for an
 *   event found in the contact records, at that event), new accounts the products they opened within the
 *   window, and AUM the change of their monthly average AUM from the month before the activity to the
 *   window's last month.
 *
 * An evaluation is complete once the data reaches the end of the window; until then it shows what is known.
 */
import type { ActivityEvaluation } from '../../../shared/community-types';
import { addDays, addMonthsToMonth } from '../analytics/dates';
import type { Db } from '../db/workspace';
import { EVENT_THEME_SQL } from './history';

export interface EvaluatedActivity {
  communityId: string;
  kind: string;
  date: string;
  source: string;
  status: string;
  campaignId: string | null;
}

/** The last day and the last balance month any data reaches. */
export interface DataReach {
  through: string | null;
  balanceMonth: string | null;
}

export function dataReach(db: Db): DataReach {
  const row = db
    .prepare(
      `SELECT max(d) AS through, (SELECT max(month) FROM balances) AS month FROM (
         SELECT max(txn_date) AS d FROM transactions UNION ALL SELECT max(date) FROM interactions
         UNION ALL SELECT max(opened_at) FROM holdings UNION ALL SELECT max(responded_at) FROM campaign_responses)`,
    )
    .get() as { through: string | null; month: string | null };
  const monthEndOf = row.month ? addDays(`${addMonthsToMonth(row.month, 1)}-01`, -1) : null;
  const through = [row.through, monthEndOf].filter((d): d is string => typeof d === 'string').sort().pop() ?? null;
  return { through, balanceMonth: row.month };
}

export function evaluateActivity(db: Db, activity: EvaluatedActivity, evaluationDays: number, reach: DataReach): ActivityEvaluation | null {
  if (activity.status === 'cancelled') return null;
  if (reach.through === null || activity.date > reach.through) return null;
  const windowEnd = addDays(activity.date, evaluationDays);
  const complete = reach.through >= windowEnd;
  const evaluatedThrough = complete ? windowEnd : reach.through;
  if (activity.campaignId) return campaignEvaluation(db, activity.campaignId, complete, evaluatedThrough);

  const theme = activity.source === 'history' ? ` AND ${EVENT_THEME_SQL} = ?` : '';
  const participants = `SELECT DISTINCT i.customer_id FROM interactions i JOIN customers c ON c.customer_id = i.customer_id
    WHERE i.kind = 'event' AND i.date = ? AND c.community_id = ?${theme}`;
  const params = activity.source === 'history' ? [activity.date, activity.communityId, activity.kind] : [activity.date, activity.communityId];
  const before = addMonthsToMonth(activity.date.slice(0, 7), -1);
  const afterWanted = windowEnd.slice(0, 7);
  const after = reach.balanceMonth === null ? null : afterWanted < reach.balanceMonth ? afterWanted : reach.balanceMonth;
  const row = db
    .prepare(
      `WITH p AS (${participants})
       SELECT (SELECT count(*) FROM p) AS participants,
         (SELECT count(*) FROM holdings h JOIN p ON p.customer_id = h.customer_id WHERE h.opened_at BETWEEN ? AND ?) AS new_accounts,
         (SELECT sum(coalesce(a.aum, 0) - coalesce(b.aum, 0)) FROM p LEFT JOIN balances a ON a.customer_id = p.customer_id AND a.month = ?
            LEFT JOIN balances b ON b.customer_id = p.customer_id AND b.month = ?) AS aum_change`,
    )
    .get(...params, activity.date, windowEnd, after ?? '', before) as { participants: number; new_accounts: number; aum_change: number | null };
  const aumKnown = after !== null && after >= activity.date.slice(0, 7);
  return {
    participants: row.participants,
    newAccounts: row.new_accounts,
    aumChange: aumKnown && row.participants > 0 ? (row.aum_change ?? 0) : aumKnown ? 0 : null,
    basis: 'attendance',
    complete,
    evaluatedThrough,
  };
}

interface StoredRow {
  activity_id: number;
  community_id: string;
  kind: string;
  date: string;
  source: string;
  status: string;
  campaign_id: string | null;
}

/**
 * Evaluates the activities of the register (all of them, or the one of `activityId`) and stores each result
 * with the activity. Planned activities the data has not reached yet store null.
 */
export function refreshEvaluations(db: Db, reach: DataReach, evaluationDays: number, activityId?: number): number {
  const rows = (
    activityId === undefined
      ? db.prepare('SELECT activity_id, community_id, kind, date, source, status, campaign_id FROM community_activities').all()
      : db.prepare('SELECT activity_id, community_id, kind, date, source, status, campaign_id FROM community_activities WHERE activity_id = ?').all(activityId)
  ) as StoredRow[];
  const store = db.prepare('UPDATE community_activities SET evaluation_json = ? WHERE activity_id = ?');
  for (const row of rows) {
    const evaluation = evaluateActivity(db, { communityId: row.community_id, kind: row.kind, date: row.date, source: row.source, status: row.status, campaignId: row.campaign_id }, evaluationDays, reach);
    store.run(evaluation === null ? null : JSON.stringify(evaluation), row.activity_id);
  }
  return rows.length;
}

function campaignEvaluation(db: Db, campaignId: string, complete: boolean, evaluatedThrough: string): ActivityEvaluation {
  const row = db
    .prepare(
      `SELECT sum(outcome IN ('responded', 'converted')) AS responded, sum(outcome = 'converted') AS converted,
         sum(CASE WHEN outcome = 'converted' THEN amount END) AS amount FROM campaign_responses WHERE campaign_id = ?`,
    )
    .get(campaignId) as { responded: number | null; converted: number | null; amount: number | null };
  return { participants: row.responded ?? 0, newAccounts: row.converted ?? 0, aumChange: row.amount, basis: 'campaign', complete, evaluatedThrough };
}
