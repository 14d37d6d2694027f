/**
 * What the campaign result report reads (CampaignReportData), from the tables as they are in 001-initial.ts:
 * campaigns and campaign_members (target / control), and campaign_responses (contacted / responded /
 * converted, with amounts). A campaign known only from imported responses (the demo's past campaigns) is
 * reported from those. The campaigns capability (issue #10) computes uplift intervals and ROI in parallel;
 * pointing this loader at its evaluation is meant to be a change of this one file.
 */
import { VALUE_TIER_LABELS } from '../../../../shared/rule-fields';
import { latestRuns } from '../../customers/latest-runs';
import type { Db } from '../../db/workspace';

export interface OutcomeCounts {
  /** Customers on the list (members, or response rows when there are no members). */
  listed: number;
  contacted: number;
  responded: number;
  converted: number;
  /** Σ amount of the conversions, 元. */
  amount: number;
}

export interface CampaignResult {
  id: string;
  name: string;
  status: string | null;
  createdAt: string | null;
  product: string | null;
  firstAt: string | null;
  lastAt: string | null;
  total: OutcomeCounts;
  /** Only when the campaign has members: its target and control groups. */
  target: OutcomeCounts | null;
  control: OutcomeCounts | null;
  byManager: ({ name: string } & OutcomeCounts)[];
  byTier: ({ tier: string } & OutcomeCounts)[];
}

export interface CampaignReportData {
  campaigns: CampaignResult[];
}

type Row = { key: string | null; listed: number; contacted: number; responded: number; converted: number; amount: number };

const OUTCOMES = `count(*) AS listed,
  sum(r.outcome IS NOT NULL) AS contacted,
  sum(r.outcome IN ('responded', 'converted')) AS responded,
  sum(r.outcome = 'converted') AS converted,
  total(CASE WHEN r.outcome = 'converted' THEN r.amount END) AS amount`;

const counts = (row: Row | undefined): OutcomeCounts => ({ listed: row?.listed ?? 0, contacted: row?.contacted ?? 0, responded: row?.responded ?? 0, converted: row?.converted ?? 0, amount: row?.amount ?? 0 });

/**
 * The campaign's list as (customer, group) rows: its members when it has any, else its response rows
 * (everyone a response was recorded for was on the list).
 */
function listSql(hasMembers: boolean): string {
  return hasMembers
    ? `SELECT m.customer_id, m.member_group AS grp FROM campaign_members m WHERE m.campaign_id = @id`
    : `SELECT r0.customer_id, 'target' AS grp FROM campaign_responses r0 WHERE r0.campaign_id = @id`;
}

/** Outcome counts per key over the list; the breakdowns read the target group only. */
function grouped(db: Db, id: string, hasMembers: boolean, keySql: string, joins: string, runId: number, targetOnly = true): Row[] {
  return db
    .prepare(
      `SELECT ${keySql} AS key, ${OUTCOMES}
       FROM (${listSql(hasMembers)}) l
       LEFT JOIN campaign_responses r ON r.campaign_id = @id AND r.customer_id = l.customer_id
       LEFT JOIN customers c ON c.customer_id = l.customer_id
       ${joins}
       ${targetOnly ? "WHERE l.grp = 'target'" : ''}
       GROUP BY 1`,
    )
    .all({ id, run: runId }) as Row[];
}

export function loadCampaignReportData(db: Db, id?: string): CampaignReportData {
  const known = db.prepare('SELECT campaign_id, name, status, created_at, product_id FROM campaigns').all() as { campaign_id: string; name: string; status: string | null; created_at: string | null; product_id: string | null }[];
  const fromResponses = db.prepare('SELECT DISTINCT campaign_id FROM campaign_responses').pluck().all() as string[];
  const ids = [...new Set([...known.map((c) => c.campaign_id), ...fromResponses])].filter((c) => id === undefined || c === id).sort();
  const scoreRun = latestRuns(db).scoreRunId ?? -1;
  const campaigns = ids.map((campaignId): CampaignResult => {
    const meta = known.find((c) => c.campaign_id === campaignId);
    const hasMembers = (db.prepare('SELECT EXISTS (SELECT 1 FROM campaign_members WHERE campaign_id = ?) AS found').get(campaignId) as { found: number }).found === 1;
    const groups = grouped(db, campaignId, hasMembers, 'l.grp', '', scoreRun, false);
    const span = db.prepare('SELECT min(responded_at) AS first, max(responded_at) AS last FROM campaign_responses WHERE campaign_id = ?').get(campaignId) as { first: string | null; last: string | null };
    const product = meta?.product_id ? ((db.prepare('SELECT name FROM products WHERE product_id = ?').get(meta.product_id) as { name: string } | undefined)?.name ?? meta.product_id) : null;
    const target = counts(groups.find((g) => g.key === 'target'));
    const control = groups.find((g) => g.key === 'control');
    return {
      id: campaignId,
      name: meta?.name ?? campaignId,
      status: meta?.status ?? null,
      createdAt: meta?.created_at ?? null,
      product,
      firstAt: span.first,
      lastAt: span.last,
      total: target,
      target: hasMembers ? target : null,
      control: hasMembers && control ? counts(control) : null,
      byManager: grouped(db, campaignId, hasMembers, "coalesce(mg.name, '未分配')", 'LEFT JOIN managers mg ON mg.manager_id = c.manager_id', scoreRun)
        .map((r) => ({ name: r.key ?? '未分配', ...counts(r) }))
        .sort((a, b) => b.listed - a.listed),
      byTier: grouped(db, campaignId, hasMembers, "coalesce(s.value_tier, '')", 'LEFT JOIN customer_scores s ON s.customer_id = l.customer_id AND s.run_id = @run', scoreRun).map((r) => ({
        tier: r.key ? (VALUE_TIER_LABELS[r.key] ?? r.key) : '未评级',
        ...counts(r),
      })),
    };
  });
  return { campaigns };
}
