/**
 * What the exclusions, the holdout and the ranking need to know about each customer of a staged audience
 * (temp.campaign_audience): contact permissions, manager, value tier and lifecycle of the latest analysis,
 * churn probability and drivers of the latest scoring, 3-month average AUM, and the contact history that
 * decides fatigue. One query per fact over the staged ids.
 */
import { latestScoredRun } from '../analytics/churn/scored-run';
import { addDays } from '../analytics/dates';
import { latestRuns } from '../customers/latest-runs';
import type { Db } from '../db/workspace';

export interface CustomerFacts {
  id: string;
  managerId: string | null;
  consent: number | null;
  doNotContact: number | null;
  tier: string | null;
  lifecycle: string | null;
  churnProb: number | null;
  churnDriversJson: string | null;
  aum: number | null;
}

export interface FactsSource {
  /** Whether a customer analysis exists (tiers, lifecycle); without one, churned customers cannot be told. */
  analysed: boolean;
  scored: boolean;
}

export function loadFacts(db: Db): { facts: CustomerFacts[]; source: FactsSource } {
  const runs = latestRuns(db);
  const scored = latestScoredRun(db);
  const rows = db
    .prepare(
      `SELECT c.customer_id AS id, c.manager_id AS managerId, c.consent_marketing AS consent, c.do_not_contact AS doNotContact,
         s.value_tier AS tier, s.lifecycle_stage AS lifecycle, k.churn_prob AS churnProb, k.churn_drivers_json AS churnDriversJson,
         cs.aum_avg_3m AS aum
       FROM temp.campaign_audience a
       JOIN customers c ON c.customer_id = a.customer_id
       LEFT JOIN customer_scores s ON s.run_id = ? AND s.customer_id = c.customer_id
       LEFT JOIN customer_scores k ON k.run_id = ? AND k.customer_id = c.customer_id
       LEFT JOIN customer_summary cs ON cs.customer_id = c.customer_id
       ORDER BY c.customer_id`,
    )
    .all(runs.scoreRunId ?? -1, scored?.analysisRunId ?? -1) as CustomerFacts[];
  return { facts: rows, source: { analysed: runs.scoreRunId !== null, scored: scored !== null } };
}

export interface FatigueWindow {
  startsOn: string;
  fatigueDays: number;
  /** A second wave's own first wave: its contacts and membership are the reason for wave 2, not fatigue. */
  ignoreCampaignId: string | null;
}

/**
 * Customers of the audience with a recorded contact (an interaction of any kind, or a response to any
 * campaign) in the `fatigueDays` days before the start.
 */
export function recentlyContacted(db: Db, w: FatigueWindow): Set<string> {
  if (w.fatigueDays <= 0) return new Set();
  const from = addDays(w.startsOn, -w.fatigueDays);
  const ids = db
    .prepare(
      `SELECT a.customer_id FROM temp.campaign_audience a
       WHERE EXISTS (SELECT 1 FROM interactions i WHERE i.customer_id = a.customer_id AND i.date > ? AND i.date <= ?)
          OR EXISTS (SELECT 1 FROM campaign_responses r WHERE r.customer_id = a.customer_id AND r.responded_at > ? AND r.responded_at <= ? AND r.campaign_id IS NOT ?)`,
    )
    .pluck()
    .all(from, w.startsOn, from, w.startsOn, w.ignoreCampaignId) as string[];
  return new Set(ids);
}

/**
 * Customers already on the call list of `max` or more campaigns starting within 30 days of this one's
 * start (before or after): one more would exceed the cap of campaigns per 30 days.
 */
export function campaignFatigued(db: Db, w: FatigueWindow & { max: number }): Set<string> {
  const ids = db
    .prepare(
      `SELECT m.customer_id FROM campaign_members m
       JOIN temp.campaign_audience a ON a.customer_id = m.customer_id
       JOIN campaigns c ON c.campaign_id = m.campaign_id
       WHERE m.member_group = 'target' AND c.status <> 'history' AND c.campaign_id IS NOT ?
         AND c.starts_on > ? AND c.starts_on < ?
       GROUP BY m.customer_id HAVING count(*) >= ?`,
    )
    .pluck()
    .all(w.ignoreCampaignId, addDays(w.startsOn, -30), addDays(w.startsOn, 30), w.max) as string[];
  return new Set(ids);
}

/**
 * Customers in the holdout of another campaign whose period overlaps [startsOn, endsOn]: contacting them
 * would spoil that campaign's measurement, and holdouts of concurrent campaigns must not overlap.
 */
export function heldOutElsewhere(db: Db, startsOn: string, endsOn: string, ignoreCampaignId: string | null): Set<string> {
  const ids = db
    .prepare(
      `SELECT DISTINCT m.customer_id FROM campaign_members m
       JOIN temp.campaign_audience a ON a.customer_id = m.customer_id
       JOIN campaigns c ON c.campaign_id = m.campaign_id
       WHERE m.member_group = 'control' AND c.campaign_id IS NOT ? AND c.starts_on <= ? AND c.ends_on >= ?`,
    )
    .pluck()
    .all(ignoreCampaignId, endsOn, startsOn) as string[];
  return new Set(ids);
}

/** Last recorded contact of each customer (interactions and campaign responses), 'YYYY-MM-DD'. */
export function lastContacts(db: Db, ids: readonly string[]): Map<string, string> {
  if (ids.length === 0) return new Map();
  const rows = db
    .prepare(
      `SELECT j.value AS id,
         (SELECT max(i.date) FROM interactions i WHERE i.customer_id = j.value) AS interaction,
         (SELECT max(r.responded_at) FROM campaign_responses r WHERE r.customer_id = j.value) AS response
       FROM json_each(?) j`,
    )
    .all(JSON.stringify(ids)) as { id: string; interaction: string | null; response: string | null }[];
  const out = new Map<string, string>();
  for (const r of rows) {
    const last = r.interaction && r.response ? (r.interaction > r.response ? r.interaction : r.response) : (r.interaction ?? r.response);
    if (last) out.set(r.id, last.slice(0, 10));
  }
  return out;
}
