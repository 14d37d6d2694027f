/**
 * Monthly counts of surveys (满意度调查 scores in interactions.score) and campaign responses, rolled over
 * the windows of settings.reports: satisfaction, satisfied share and NPS over the last surveyWindowMonths,
 * the campaign response rate over the last campaignWindowMonths.
 *
 * - satisfaction: the mean score; satisfied share: scores ≥ satisfiedMin;
 * - NPS = (promoters − detractors) ÷ responses × 100, promoters scoring ≥ npsPromoterMin and detractors
 *   ≤ npsDetractorMax (5 and 3 on the 5-point scale the demo and most branch surveys use);
 * - response rate: campaign_responses rows answered 'responded' or 'converted' over every row (each row a
 *   customer a campaign reached), by the month of responded_at.
 */
import type { ReportSettings } from '../../../../shared/reports';
import type { Db } from '../../db/workspace';
import type { MonthWindow } from './months';

export interface RollingSeries {
  /** Per month of the window; null where the window holds no data. */
  values: (number | null)[];
  /** The figure's denominator at the as-of month (responses, listed customers). */
  base: number;
}

export interface ActivitySeries {
  satisfaction: RollingSeries;
  satisfiedShare: RollingSeries;
  nps: RollingSeries;
  responseRate: RollingSeries;
}

interface Cells {
  n: number[];
  a: number[];
  b: number[];
  c: number[];
}

const zeros = (count: number) => new Array<number>(count).fill(0);

function rolling(cells: Cells, windowMonths: number, figure: (n: number, a: number, b: number, c: number) => number): RollingSeries {
  const count = cells.n.length;
  const values: (number | null)[] = [];
  let base = 0;
  for (let k = 0; k < count; k++) {
    let n = 0;
    let a = 0;
    let b = 0;
    let c = 0;
    for (let j = Math.max(0, k - windowMonths + 1); j <= k; j++) {
      n += cells.n[j]!;
      a += cells.a[j]!;
      b += cells.b[j]!;
      c += cells.c[j]!;
    }
    values.push(n > 0 ? figure(n, a, b, c) : null);
    base = n;
  }
  return { values, base };
}

function bucketByMonth<R extends { month: string }>(window: MonthWindow, rows: readonly R[], add: (cells: Cells, k: number, row: R) => void): Cells {
  const count = window.months.length;
  const cells: Cells = { n: zeros(count), a: zeros(count), b: zeros(count), c: zeros(count) };
  const index = new Map(window.months.map((m, k) => [m, k]));
  for (const row of rows) {
    const k = index.get(row.month);
    if (k !== undefined) add(cells, k, row);
  }
  return cells;
}

export function activitySeries(db: Db, window: MonthWindow, settings: ReportSettings): ActivitySeries {
  const from = `${window.months[0]}-01`;
  const to = window.ends[window.last] as string;
  const surveys = db
    .prepare(
      `SELECT substr(date, 1, 7) AS month, count(*) AS n, total(score) AS total,
         sum(score >= @satisfied) AS satisfied, sum(score >= @promoter) AS promoters, sum(score <= @detractor) AS detractors
       FROM interactions WHERE kind = 'survey' AND score IS NOT NULL AND date >= @from AND date <= @to GROUP BY 1`,
    )
    .all({ satisfied: settings.satisfiedMin, promoter: settings.npsPromoterMin, detractor: settings.npsDetractorMax, from, to }) as {
    month: string;
    n: number;
    total: number;
    satisfied: number;
    promoters: number;
    detractors: number;
  }[];
  const surveyCells = bucketByMonth(window, surveys, (cells, k, row) => {
    cells.n[k] += row.n;
    cells.a[k] += row.total;
    cells.b[k] += row.satisfied;
    cells.c[k] += row.promoters - row.detractors;
  });
  const responses = db
    .prepare(
      `SELECT substr(responded_at, 1, 7) AS month, count(*) AS n, sum(outcome IN ('responded', 'converted')) AS responded
       FROM campaign_responses WHERE responded_at >= @from AND responded_at <= @to GROUP BY 1`,
    )
    .all({ from, to }) as { month: string; n: number; responded: number }[];
  const responseCells = bucketByMonth(window, responses, (cells, k, row) => {
    cells.n[k] += row.n;
    cells.a[k] += row.responded;
  });
  return {
    satisfaction: rolling(surveyCells, settings.surveyWindowMonths, (n, total) => total / n),
    satisfiedShare: rolling(surveyCells, settings.surveyWindowMonths, (n, _t, satisfied) => satisfied / n),
    nps: rolling(surveyCells, settings.surveyWindowMonths, (n, _t, _s, net) => (net / n) * 100),
    responseRate: rolling(responseCells, settings.campaignWindowMonths, (n, responded) => responded / n),
  };
}
