/**
 * The branch overview on an analysed 2,000-customer demo: every figure checked against what the workspace
 * itself computed (the customer analysis, the churn scoring) or against an independent SQL count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MARGIN_RATES } from '../../../shared/settings';
import type { BranchOverview, Kpi } from '../../../shared/reports';
import { openWorkspace, type Db } from '../../../electron/engine/db/workspace';
import { computeOverview } from '../../../electron/engine/reports/overview/compute-overview';
import { latestOverview, readOverview, storeOverview } from '../../../electron/engine/reports/overview/overview-store';
import { annualRetention, clvFactor } from '../../../electron/engine/reports/overview/value';
import { writeSettings } from '../../../electron/engine/settings-store';
import { tempDir } from '../../support/temp';
import { createAnalysedDemo, DEMO_CUSTOMERS } from './support/analysed-demo';

const dir = tempDir('bpw-overview-');
let db: Db;
let overview: BranchOverview;
let analysisRun: number;

const kpi = (key: string): Kpi => {
  const found = overview.kpis.find((k) => k.key === key);
  if (!found) throw new Error(`no KPI ${key}`);
  return found;
};
const one = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as T;

beforeAll(async () => {
  db = openWorkspace(await createAnalysedDemo(dir));
  overview = computeOverview(db, { workspaceName: '示范支行' });
  analysisRun = one<{ id: number }>("SELECT max(run_id) AS id FROM analysis_runs WHERE kind = 'customer_analysis' AND status = 'succeeded'").id;
});
afterAll(() => db?.close());

describe('branch overview', () => {
  it('is as of the latest balance month and knows what has been run', () => {
    const latest = one<{ m: string }>('SELECT max(month) AS m FROM balances').m;
    expect(overview.asOfMonth).toBe(latest);
    expect(overview.asOf.startsWith(latest)).toBe(true);
    expect(overview.branchName).toBe('示范支行');
    expect(overview.data.customers).toBe(DEMO_CUSTOMERS);
    expect(overview.checklist.map((c) => [c.step, c.done])).toEqual([
      ['import', true],
      ['analysis', true],
      ['churnTrain', true],
      ['churnScore', true],
      ['matching', overview.runs.matching !== null],
    ]);
  });

  it('counts lost customers by the lifecycle rule of the customer analysis', () => {
    const churned = one<{ n: number }>("SELECT count(*) AS n FROM customer_scores WHERE run_id = ? AND lifecycle_stage = 'churned'", analysisRun).n;
    expect(overview.population.total).toBe(DEMO_CUSTOMERS);
    expect(overview.population.lost).toBe(churned);
    expect(kpi('customers').value).toBe(DEMO_CUSTOMERS - churned);
  });

  it('sums the 3-month average AUM exactly as the tiers screen does, and tiers the customers on the books like the analysis', () => {
    const aum = one<{ aum: number }>('SELECT total(aum_avg_3m) AS aum FROM customer_features WHERE run_id = ?', analysisRun).aum;
    expect(kpi('aum_total').value).toBeCloseTo(aum, 2);
    const tiers = db.prepare("SELECT value_tier AS tier, count(*) AS n FROM customer_scores WHERE run_id = ? AND lifecycle_stage != 'churned' GROUP BY 1").all(analysisRun) as { tier: string; n: number }[];
    const last = overview.tierMix[overview.tierMix.length - 1]!;
    expect(last.month).toBe(overview.asOfMonth);
    for (const t of tiers) expect(last.counts[t.tier as keyof typeof last.counts], t.tier).toBe(t.n);
  });

  it('takes the high-risk count and the AUM at risk from the latest churn scoring', () => {
    const metrics = JSON.parse(one<{ m: string }>("SELECT metrics_json AS m FROM analysis_runs WHERE kind = 'churn_score' ORDER BY run_id DESC LIMIT 1").m) as { counts: { high: number }; aumAtRisk: number };
    expect(overview.churn?.high).toBe(metrics.counts.high);
    expect(overview.churn?.aumAtRisk).toBeCloseTo(metrics.aumAtRisk, 2);
    expect(kpi('high_risk_customers').value).toBe(metrics.counts.high);
    const byManager = overview.managers.reduce((sum, m) => sum + m.highRisk, 0);
    const onBookHigh = one<{ n: number }>(
      `SELECT count(*) AS n FROM customer_scores s JOIN customer_scores a ON a.customer_id = s.customer_id AND a.run_id = ?
       WHERE s.run_id = ? AND s.churn_band = 'high' AND a.lifecycle_stage != 'churned'`,
      analysisRun,
      analysisRun,
    ).n;
    expect(byManager).toBe(onBookHigh);
  });

  it('gives every monthly KPI 12 trend months ending at the as-of month, with month-on-month and year-to-date changes', () => {
    const customers = kpi('customers');
    expect(customers.trend).toHaveLength(12);
    expect(customers.trend[11]!.month).toBe(overview.asOfMonth);
    expect(customers.trend[11]!.value).toBe(customers.value);
    expect(customers.mom).toBe(customers.value! - customers.trend[10]!.value!);
    const newCustomers = kpi('new_customers');
    const opened = one<{ n: number }>('SELECT count(*) AS n FROM customers WHERE substr(open_date, 1, 7) = ?', overview.asOfMonth).n;
    expect(newCustomers.value).toBe(opened);
    const year = overview.asOfMonth.slice(0, 4);
    const openedThisYear = one<{ n: number }>('SELECT count(*) AS n FROM customers WHERE substr(open_date, 1, 4) = ? AND substr(open_date, 1, 7) <= ?', year, overview.asOfMonth).n;
    expect(newCustomers.ytd).toBe(openedThisYear);
    const monthly = one<{ aum: number }>('SELECT total(aum) AS aum FROM balances WHERE month = ?', overview.asOfMonth).aum;
    expect(kpi('aum_monthly_total').value).toBeCloseTo(monthly, 2);
    expect(kpi('retention_rate').value! + kpi('churn_rate').value!).toBeCloseTo(1, 10);
  });

  it('reads satisfaction, NPS and the response rate from the survey scores and campaign responses', () => {
    const from = `${overview.tierMix[9]!.month}-01`;
    const survey = one<{ n: number; mean: number; promoters: number; detractors: number }>(
      "SELECT count(*) AS n, avg(score) AS mean, sum(score >= 5) AS promoters, sum(score <= 3) AS detractors FROM interactions WHERE kind = 'survey' AND score IS NOT NULL AND date >= ? AND date <= ?",
      from,
      overview.asOf,
    );
    expect(survey.n).toBeGreaterThan(0);
    expect(kpi('satisfaction').value).toBeCloseTo(survey.mean, 10);
    expect(kpi('nps').value).toBeCloseTo(((survey.promoters - survey.detractors) / survey.n) * 100, 10);
    const responses = one<{ n: number; r: number }>(
      "SELECT count(*) AS n, sum(outcome IN ('responded', 'converted')) AS r FROM campaign_responses WHERE responded_at > date(?, '-12 months') AND responded_at <= ?",
      overview.asOf,
      overview.asOf,
    );
    expect(kpi('response_rate').value).toBeCloseTo(responses.r / responses.n, 10);
  });

  it('computes profit contribution from the current holdings and the default margin rates', () => {
    const rates = JSON.stringify(DEFAULT_MARGIN_RATES);
    const expected = one<{ profit: number }>(
      `WITH onbook AS (SELECT customer_id FROM customer_scores WHERE run_id = ? AND lifecycle_stage != 'churned'),
       held AS (
         SELECT h.customer_id, p.category, h.balance FROM holdings h JOIN products p ON p.product_id = h.product_id
         WHERE h.opened_at <= ? AND (h.closed_at IS NULL OR h.closed_at > ?) AND h.customer_id IN (SELECT customer_id FROM onbook)
       ),
       per AS (
         SELECT o.customer_id,
           (SELECT total(balance * json_extract(?, '$.' || category)) FROM held WHERE held.customer_id = o.customer_id) AS product_profit,
           (SELECT total(balance) FROM held WHERE held.customer_id = o.customer_id AND category IN ('demand_deposit','time_deposit','wealth','fund','insurance','precious_metal','pension')) AS assets,
           (SELECT aum FROM balances b WHERE b.customer_id = o.customer_id AND b.month = ?) AS aum
         FROM onbook o
       )
       SELECT total(product_profit + CASE WHEN aum > assets THEN (aum - assets) * 0.01 ELSE 0 END) AS profit FROM per`,
      analysisRun,
      overview.asOf,
      overview.asOf,
      rates,
      overview.asOfMonth,
    );
    expect(overview.value.total.profit).toBeCloseTo(expected.profit, 2);
    expect(kpi('profit_contribution').value).toBeCloseTo(expected.profit, 2);
    expect(overview.value.byTier.reduce((sum, r) => sum + r.customers, 0)).toBe(kpi('customers').value);
    expect(overview.value.byTier.reduce((sum, r) => sum + r.profit, 0)).toBeCloseTo(expected.profit, 2);
    expect(overview.value.basis.retentionSource).not.toBe('observed');
    expect(overview.value.total.clv).toBeGreaterThan(overview.value.total.profit);
  });

  it('lists every manager with their customers on the books, adding up to the branch', () => {
    expect(overview.managers.reduce((sum, m) => sum + m.customers, 0)).toBe(kpi('customers').value);
    const named = one<{ n: number }>('SELECT count(*) AS n FROM managers').n;
    expect(overview.managers.length).toBeLessThanOrEqual(named + 1);
    expect(overview.managers.every((m) => m.name.length > 0)).toBe(true);
  });

  it('measures community penetration as customers on the books over households', () => {
    for (const c of overview.communities.filter((x) => x.households)) expect(c.penetration).toBeCloseTo(c.customers / c.households!, 12);
    expect(overview.coverage.total).toBe(one<{ n: number }>('SELECT count(*) AS n FROM communities WHERE households IS NOT NULL').n);
  });

  it('refuses a month outside the balances in Chinese', () => {
    expect(() => computeOverview(db, { asOfMonth: '2099-01' })).toThrow(/晚于月日均资产数据的最新月份/);
  });

  it('is cached with a stamp that changes once the settings do', () => {
    storeOverview(db, overview);
    const ctx = { db: () => db, workspacePath: () => null };
    expect(readOverview(ctx).stale).toBe(false);
    // The branch report reuses the snapshot while nothing changed, under the file's name of today.
    const reused = latestOverview(db, { workspaceName: '改名后的支行' });
    expect(reused.computedAt).toBe(overview.computedAt);
    expect(reused.branchName).toBe('改名后的支行');
    writeSettings(db, { reports: { branchName: '东门支行' } });
    const state = readOverview(ctx);
    expect(state.stale).toBe(true);
    expect(state.overview?.asOf).toBe(overview.asOf);
    expect(computeOverview(db).branchName).toBe('东门支行');
    expect(latestOverview(db, {}).computedAt).not.toBe(overview.computedAt);
    expect(readOverview(ctx).stale).toBe(false);
  });
});

describe('customer lifetime value', () => {
  it('turns a churn probability over h months into annual retention', () => {
    expect(annualRetention(0, 3)).toBe(1);
    expect(annualRetention(0.1, 3)).toBeCloseTo(0.9 ** 4, 12);
    expect(annualRetention(1.2, 3)).toBe(0);
  });

  it('sums discounted survival over the horizon', () => {
    // 0.9/1.06 + 0.81/1.1236 + 0.729/1.191016
    expect(clvFactor(0.9, 0.06, 3)).toBeCloseTo(0.9 / 1.06 + 0.81 / 1.1236 + 0.729 / 1.191016, 12);
    expect(clvFactor(1, 0, 5)).toBe(5);
  });
});
