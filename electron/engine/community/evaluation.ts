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

/**
 * The last balance month (read off its index) with its last day, the last community event (off the
 * interactions' kind-and-date index) and the last campaign response. Transactions, which carry no index by
 * date alone, are read only when there are no balances.
 */
export function dataReach(db: Db): DataReach {
  const row = db
    .prepare(
      `SELECT (SELECT max(month) FROM balances) AS month, (SELECT max(date) FROM interactions WHERE kind = 'event') AS event,
         (SELECT max(responded_at) FROM campaign_responses) AS response`,
    )
    .get() as { month: string | null; event: string | null; response: string | null };
  const monthEndOf = row.month ? addDays(`${addMonthsToMonth(row.month, 1)}-01`, -1) : null;
  const transactions = row.month ? null : (db.prepare('SELECT max(txn_date) AS d FROM transactions').get() as { d: string | null }).d;
  const through = [monthEndOf, row.event, row.response, transactions].filter((d): d is string => typeof d === 'string').sort().pop() ?? null;
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
 * Evaluates activities of the register and stores each result with the activity: the one of `activityId`
 * (after it was saved), or every activity whose evaluation is missing or not complete yet. A complete
 * evaluation is final, so a snapshot does not walk the attendees of every past event again; saving the
 * activity evaluates it anew. Planned activities the data has not reached yet store null.
 */
export function refreshEvaluations(db: Db, reach: DataReach, evaluationDays: number, activityId?: number): number {
  const columns = 'activity_id, community_id, kind, date, source, status, campaign_id';
  const rows = (
    activityId === undefined
      ? db.prepare(`SELECT ${columns} FROM community_activities WHERE evaluation_json IS NULL OR json_extract(evaluation_json, '$.complete') = 0`).all()
      : db.prepare(`SELECT ${columns} FROM community_activities WHERE activity_id = ?`).all(activityId)
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
