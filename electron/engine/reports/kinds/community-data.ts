/**
 * What the community report reads (CommunityReportData), from the tables as they are: the community
 * register, customers by community, the latest customer analysis (3-month average AUM, tier, age as of its
 * date), the latest churn scoring and the holdings held on that date. The community capability (issue #12)
 * builds a richer portrait in parallel; pointing this loader at it is meant to be a change of this one file.
 */
import { PRODUCT_CATEGORY_LABELS } from '../../../../shared/dictionary';
import { latestScoredRun } from '../../analytics/churn/scored-run';
import { monthEnd } from '../../analytics/dates';
import { latestRuns } from '../../customers/latest-runs';
import type { Db } from '../../db/workspace';

export interface CommunityFacts {
  id: string;
  name: string;
  district: string | null;
  grid: string | null;
  households: number | null;
  population: number | null;
  /** Share of residents aged 60 and over, from the register. */
  elderlyShare: number | null;
  customers: number;
  /** Σ 3-month average AUM, 元. */
  aum: number;
  tiers: Record<string, number>;
  /** Customers aged 60 and over. */
  customers60: number;
  /** Customers holding each product family (label → holders). */
  products: Record<string, number>;
  highRisk: number;
  scored: number;
  manager: string | null;
}

export interface CommunityReportData {
  asOf: string | null;
  communities: CommunityFacts[];
  /** The whole branch, for comparison (households of the registered communities). */
  branch: CommunityFacts;
}

const BRANCH_ID = '__branch__';

export function loadCommunityReportData(db: Db): CommunityReportData {
  const runs = latestRuns(db);
  const scored = latestScoredRun(db);
  const asOf = runs.scoreAsOf ?? (db.prepare('SELECT max(month) AS m FROM balances').get() as { m: string | null }).m;
  const facts = new Map<string, CommunityFacts>();
  const blank = (id: string, name: string): CommunityFacts => ({ id, name, district: null, grid: null, households: null, population: null, elderlyShare: null, customers: 0, aum: 0, tiers: {}, customers60: 0, products: {}, highRisk: 0, scored: 0, manager: null });
  const registered = db
    .prepare('SELECT c.community_id, c.name, c.district, c.grid_name, c.households, c.population, c.share_age_60_plus, m.name AS manager FROM communities c LEFT JOIN managers m ON m.manager_id = c.manager_id ORDER BY c.community_id')
    .all() as { community_id: string; name: string; district: string | null; grid_name: string | null; households: number | null; population: number | null; share_age_60_plus: number | null; manager: string | null }[];
  for (const r of registered) facts.set(r.community_id, { ...blank(r.community_id, r.name), district: r.district, grid: r.grid_name, households: r.households, population: r.population, elderlyShare: r.share_age_60_plus, manager: r.manager });
  const branch = blank(BRANCH_ID, '全行');
  branch.households = registered.reduce((sum, r) => sum + (r.households ?? 0), 0) || null;
  const of = (id: string | null) => {
    if (id === null || id === '') return null;
    let f = facts.get(id);
    if (!f) {
      f = blank(id, `${id}（未登记）`);
      facts.set(id, f);
    }
    return f;
  };

  const customerRows = db
    .prepare(
      `SELECT c.community_id AS community, count(*) AS n, total(f.aum_avg_3m) AS aum, sum(f.age >= 60) AS old,
         sum(s.churn_band = 'high') AS high, sum(s.churn_prob IS NOT NULL) AS scored
       FROM customers c
       LEFT JOIN customer_features f ON f.customer_id = c.customer_id AND f.run_id = ?
       LEFT JOIN customer_scores s ON s.customer_id = c.customer_id AND s.run_id = ?
       GROUP BY c.community_id`,
    )
    .all(runs.featureRunId ?? -1, scored?.analysisRunId ?? -1) as { community: string | null; n: number; aum: number; old: number | null; high: number | null; scored: number | null }[];
  for (const r of customerRows) {
    for (const f of [of(r.community), branch]) {
      if (!f) continue;
      f.customers += r.n;
      f.aum += r.aum;
      f.customers60 += r.old ?? 0;
      f.highRisk += r.high ?? 0;
      f.scored += r.scored ?? 0;
    }
  }
  const tierRows = db
    .prepare('SELECT c.community_id AS community, s.value_tier AS tier, count(*) AS n FROM customers c JOIN customer_scores s ON s.customer_id = c.customer_id AND s.run_id = ? GROUP BY 1, 2')
    .all(runs.scoreRunId ?? -1) as { community: string | null; tier: string | null; n: number }[];
  for (const r of tierRows) {
    for (const f of [of(r.community), branch]) if (f && r.tier) f.tiers[r.tier] = (f.tiers[r.tier] ?? 0) + r.n;
  }
  const heldOn = asOf ? (asOf.length === 7 ? monthEnd(asOf) : asOf) : '9999-12-31';
  const productRows = db
    .prepare(
      `SELECT c.community_id AS community, p.category, count(DISTINCT h.customer_id) AS n
       FROM holdings h JOIN customers c ON c.customer_id = h.customer_id JOIN products p ON p.product_id = h.product_id
       WHERE h.opened_at <= ? AND (h.closed_at IS NULL OR h.closed_at = '' OR h.closed_at > ?)
       GROUP BY 1, 2`,
    )
    .all(heldOn, heldOn) as { community: string | null; category: string; n: number }[];
  for (const r of productRows) {
    const label = (PRODUCT_CATEGORY_LABELS as Record<string, string>)[r.category] ?? r.category;
    for (const f of [of(r.community), branch]) if (f) f.products[label] = (f.products[label] ?? 0) + r.n;
  }
  return { asOf, communities: [...facts.values()].sort((a, b) => b.customers - a.customers || a.id.localeCompare(b.id)), branch };
}
